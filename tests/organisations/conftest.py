import pytest

from tests.factories import load_jincheng_reference


@pytest.fixture
def reference(db):
    return load_jincheng_reference()
