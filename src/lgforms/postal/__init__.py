"""Postal stage (DESIGN §6): delivery kinds, printer profiles, imposition of logical panels onto
physical sheets (圧着はがき V/Z, postcards), window-envelope checks, postcode boxes and the
料金別納/後納 indicia, and Japan Post rule checks (``POSTAL_CONSTRAINT``).

Modules:
  profiles   printer profiles (YAML): sheet size, panel placement and rotation, folds, paper weight
  fold       a geometric fold simulator (which panel ends on which face, which way up)
  impose     ``PressureSealImposer``: laid-out panels -> imposed sheet pages (duplex order)
  checks     postal rule validation of a laid-out mailpiece against its profile
  customer_barcode   カスタマバーコード (maintained separately)
"""
