"""``{% unit_picker "unit" value %}``: the unit picker where a page writes its filter form by hand."""

from django import template

from cax.units.widgets import UnitPicker

register = template.Library()


@register.simple_tag
def unit_picker(name: str, value="", size: int = 8):
    return UnitPicker(attrs={"id": f"id_{name}", "size": size}).render(name, value or "")
