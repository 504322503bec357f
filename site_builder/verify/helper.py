"""The page-checking helper of `verify_site`: reads the pages named on stdin and writes back
what they hold and the leaks in them (both sides are this program). `verify._Helper` starts it
in an interpreter that imports nothing from the project or the working folder."""

import pickle
import sys

from . import parse_pages


def main() -> None:
    site_dir, site_url, label, rels, admin_origins, memo = pickle.load(sys.stdin.buffer)
    sys.stdout.buffer.write(pickle.dumps(parse_pages(site_dir, site_url, label, rels,
                                                     admin_origins, memo)))


if __name__ == "__main__":
    main()
