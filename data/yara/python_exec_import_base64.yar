rule python_exec_import_base64
{
  meta:
    description = "runs code decoded from base64 through __import__ (concealed payload)"
    severity = "high"
    attack = "T1027"
  strings:
    $a = /exec\s*\(\s*__import__\s*\(\s*['"]base64['"]\s*\)\s*\.\s*b64decode/
    $b = /exec\s*\(\s*__import__\s*\(\s*['"]zlib['"]\s*\)\s*\.\s*decompress\s*\(\s*__import__\s*\(\s*['"]base64['"]/
    $c = /exec\s*\(\s*compile\s*\(\s*__import__\s*\(\s*['"]base64['"]/
  condition:
    any of them
}
