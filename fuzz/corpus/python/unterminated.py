x = "unterminated
y = '''never closed
