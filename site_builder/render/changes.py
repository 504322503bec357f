"""What the live preview must write again after an edit: pages whose content or surroundings changed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def content_hash(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class PageTracker:
    """Remembers what was rendered last time. A page is unchanged when its own content is the
    same and so is everything every page shares (navigation, settings, theme: `shared`)."""

    pages: dict[str, str] = field(default_factory=dict)
    shared: str = ""
    texts: dict[str, str] = field(default_factory=dict)  # the text each hash was taken of

    def unchanged(self, pages: dict[str, str], shared: str) -> set[str]:
        """The pages that need not be written again; remembers this rendering for next time."""
        # a page the renderer reused is the very same text: its hash is not taken again
        hashes = {uri: self.pages[uri] if self.texts.get(uri) is text else content_hash(text)
                  for uri, text in pages.items()}
        self.texts = dict(pages)
        shared_key = content_hash(repr((sorted(hashes), shared)))
        same = set()
        if shared_key == self.shared:
            same = {uri for uri, h in hashes.items() if self.pages.get(uri) == h}
        self.pages, self.shared = hashes, shared_key
        return same
