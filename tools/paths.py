"""Put the repository's packages on the virtualenv's path (shared, tools, sso and the four services)."""
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHS = [ROOT, ROOT / "gateway", *sorted((ROOT / "services").iterdir())]

if __name__ == "__main__":
    target = Path(sysconfig.get_paths()["purelib"]) / "dcc.pth"
    target.write_text("".join(f"{p}\n" for p in PATHS if p.is_dir()))
