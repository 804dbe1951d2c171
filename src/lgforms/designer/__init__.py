"""The designer's engine side: what a laid-out document is made of and how its texts fitted.

- ``trace``: a layout recorder (``layout.tracing``) and ``inspect_layout``: every element's box,
  kind, id, source file and line, block, flow, pages, fitting outcome and warnings;
- ``overlay``: those boxes, the mm grid and rulers drawn into a page image (``lgforms preview``);
- ``diff``: a rendering against a reference PDF or PNG (``lgforms diff``);
- ``yamledit``: a box moved or resized, written back into the form's YAML text;
- ``jsonpos``: the line of every JSON path of a payload text (errors shown at their line);
- ``workspace``: forms loaded from edited YAML text, previews (PDF, page PNG, inspection).

The web page itself is in ``lgforms_api.designer``.
"""
