"""`python -m site_builder.verify.helper`: reads the pages named on stdin for `verify_site`
and writes back what they hold and the leaks in them (both sides are this program)."""

import pickle
import sys

from . import parse_pages


def main() -> None:
    site_dir, site_url, label, rels, admin_origins, memo = pickle.load(sys.stdin.buffer)
    sys.stdout.buffer.write(pickle.dumps(parse_pages(site_dir, site_url, label, rels,
                                                     admin_origins, memo)))


if __name__ == "__main__":
    main()
