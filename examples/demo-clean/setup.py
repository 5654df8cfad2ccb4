from setuptools import setup

setup(
    name="demo-clean",
    version="1.0",
    packages=["demo_clean"],
)
