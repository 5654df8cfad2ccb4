import os
os.system('echo hi')
from setuptools import setup
setup(name='s')
