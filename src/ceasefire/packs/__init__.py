"""Agreement packs: a ceasefire's terms and registries as data (DESIGN.md §3).

Bundled packs live in sub-folders of this package, one folder per agreement id.
"""

from ceasefire.packs.loader import PackCheck, bundled_packs, check_pack, load_pack, resolve_pack

__all__ = ["PackCheck", "bundled_packs", "check_pack", "load_pack", "resolve_pack"]
