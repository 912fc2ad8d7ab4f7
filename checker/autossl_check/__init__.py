"""autossl-check: does every name cPanel AutoSSL orders resolve, in public DNS, to the server?"""

# Read by hatchling for the distribution's version and by `autossl-check --version`, which would
# otherwise pay for importlib.metadata at start-up.
__version__ = "0.1.0"
