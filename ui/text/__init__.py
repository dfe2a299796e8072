"""Per-page UI strings: each module holds STRINGS = {key: (German, English)}; ui.i18n merges them."""
