"""Build hook: the fonts and forms go into a wheel, never into an editable install.

A wheel (``pip install lgforms``) carries them inside the package, as ``lgforms/_data``. An
editable install (``pip install -e .``) reads them from the checkout (``lgforms.resources``
finds them at the top of the repository), so copying 58 MB of fonts and forms into
site-packages there would only waste space and go stale. Hatch applies a target's
``force-include`` to both kinds of wheel, hence this hook, which adds it to standard wheels only.
"""

from __future__ import annotations

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

DATA = {"fonts": "lgforms/_data/fonts", "forms": "lgforms/_data/forms"}


class DataForWheels(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name == "wheel" and version == "standard":
            build_data["force_include"].update(DATA)
