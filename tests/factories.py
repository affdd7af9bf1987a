"""factory_boy factories for the foundation models. Tests build data through these or through services."""

from pathlib import Path

import factory

from shenbao.accounts.models import RoleGrant, User
from shenbao.organisations.credit_code import CHARSET, compute_check_character
from shenbao.organisations.models import Organisation, Region, UnitType


def make_credit_code(n, division="140500", authority="91"):
    """A valid 统一社会信用代码 that differs for each n."""
    body = ""
    value = n
    for _ in range(9):
        value, digit = divmod(value, 31)
        body = CHARSET[digit] + body
    first17 = f"{authority}{division}{body}"
    return first17 + compute_check_character(first17)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"1405{n % 100:02d}")
    division_code = factory.SelfAttribute("key")
    name = factory.Sequence(lambda n: f"测试县{n}")
    level = Region.Level.COUNTY


class UnitTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitType
        django_get_or_create = ("code",)

    code = "enterprise"
    name = "企业"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试单位{n}有限公司")
    kind = Organisation.Kind.APPLICANT_UNIT
    unit_type = factory.SubFactory(UnitTypeFactory)
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 1))
    region = factory.SubFactory(RegionFactory)
    legal_representative = "张三"
    contact_name = "李四"
    contact_phone = "0356-2199488"
    address = "山西省晋城市"


class GovernmentBodyFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"测试政府部门{n}")
    kind = Organisation.Kind.GOVERNMENT
    function = Organisation.Function.COUNTY_HR_BUREAU
    unit_type = None
    credit_code = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("Test#pass2022")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            RoleGrant.objects.create(user=self, role=role)


class PlatformFactory(GovernmentBodyFactory):
    name = factory.Sequence(lambda n: f"平台运维单位{n}")
    kind = Organisation.Kind.PLATFORM
    function = Organisation.Function.NONE


def make_region_tree(*, city_key="140500", city_name="晋城市", counties=(("140502", "城区"), ("140521", "沁水县"))):
    """Province → city → counties, so scoping by city can be tested (another city: city_key="140100")."""
    province = RegionFactory(key=f"{city_key[:2]}0000", name="山西省", level=Region.Level.PROVINCE)
    city = RegionFactory(key=city_key, name=city_name, level=Region.Level.CITY, parent=province)
    county_regions = [
        RegionFactory(key=key, name=name, level=Region.Level.COUNTY, parent=city) for key, name in counties
    ]
    return city, county_regions


def load_reference(path=None):
    """Load a reference-data file (default: data/reference/jincheng.yaml, the real one) into the test database.

    Built for real once per process and state, replayed after that (tests/dbstate.py).
    """
    from django.conf import settings

    from shenbao.organisations.reference import load_reference_file

    from .dbstate import replay

    path = Path(path or settings.BASE_DIR / "data" / "reference" / "jincheng.yaml").resolve()
    return replay(("reference", str(path)), lambda: load_reference_file(path=path))


def seeded_demo():
    """`manage.py seed_demo` (its printed output), replayed like `load_reference` after the first real run from the
    same state: for tests that start from the seeded demo. Tests of a second run or of a changed state run the
    command again themselves."""
    import io

    from django.core.management import call_command

    from .dbstate import replay

    def run():
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        return out.getvalue()

    return replay(("seed_demo",), run)


def load_jincheng_reference():
    """Load data/reference/jincheng.yaml, the real reference data, into the test database."""
    return load_reference()


def load_call(path=None):
    """Load a call file (default: calls/jincheng-2022.yaml) as `load_call_file` does; replayed like `load_reference`.

    For fixtures that need a call. Tests of the loader itself call `load_call_file`.
    """
    from django.conf import settings

    from shenbao.calls.services import load_call_file

    from .dbstate import replay

    path = Path(path or settings.BASE_DIR / "calls" / "jincheng-2022.yaml").resolve()
    return replay(("call", str(path)), lambda: load_call_file(path=path))
