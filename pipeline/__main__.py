"""`python -m pipeline`: the command line (see `pipeline.cli`)."""
from .cli import cli

if __name__ == "__main__":
    raise SystemExit(cli())
