"""Layer rules: nothing below ui/ imports streamlit; page scripts live in app_pages/, never pages/."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOWER_LAYERS = ["loaders", "datasets", "store", "charts"]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", LOWER_LAYERS)
def test_lower_layers_do_not_import_streamlit_or_ui(layer):
    files = sorted((ROOT / layer).rglob("*.py"))
    assert files, f"layer folder {layer}/ is empty"
    for path in files:
        imported = _imported_modules(path)
        assert "streamlit" not in imported, f"{path.relative_to(ROOT)} imports streamlit"
        assert "ui" not in imported and "app_pages" not in imported, f"{path.relative_to(ROOT)} imports the UI"


def test_no_pages_folder_next_to_the_entrypoint():
    assert not (ROOT / "pages").exists(), "a pages/ folder is auto-discovered by Streamlit 1.67 (see DESIGN.md)"


def test_page_scripts_stay_thin():
    for page in (ROOT / "app_pages").glob("*.py"):
        imported = _imported_modules(page)
        assert not imported & {"sqlalchemy", "pandera", "loaders", "store"}, f"{page.name} does data work"
        assert len(page.read_text(encoding="utf-8").splitlines()) <= 60, f"{page.name} is not thin"


def test_every_registered_page_exists_and_every_page_file_is_registered():
    from ui.pages import DEFAULT_URL_PATH, PAGES

    registered = {p.file for p in PAGES}
    assert all((ROOT / f).is_file() for f in registered), sorted(f for f in registered if not (ROOT / f).is_file())
    on_disk = {f"app_pages/{p.name}" for p in (ROOT / "app_pages").glob("*.py")}
    assert on_disk == registered
    assert len({p.url_path for p in PAGES}) == len(PAGES) and DEFAULT_URL_PATH in {p.url_path for p in PAGES}
