"""Files the tests read: the real call files and the calls tests' own YAML samples (plain constants, not fixtures)."""

from pathlib import Path

from django.conf import settings

JINCHENG_2022 = Path(settings.BASE_DIR) / "calls" / "jincheng-2022.yaml"
CALL_TEST_DATA = Path(__file__).resolve().parent / "calls" / "data"
