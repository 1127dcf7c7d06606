"""`python -m pipeline`: the command line (see `pipeline.cli`)."""
import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["run"]:
        from .extraction.worker import start_worker_server

        start_worker_server()  # before the command's own imports, which it overlaps
    from .cli import cli

    raise SystemExit(cli())
