"""The construction period of a project type (建设期: `construction_start` … `construction_end` in the call file,
notice 五): the years it touches shape the application form (the years a form asks for) and the progress reports
(one per year, `acceptance.periods`)."""

from .models import ProjectType


def construction_years(project_type: ProjectType) -> list[int]:
    """The calendar years the construction period touches, in order."""
    return list(range(project_type.construction_start.year, project_type.construction_end.year + 1))
