"""A PCN's boundary: a GeoJSON upload checked for shape and size, and drawn
as inline SVG on the page and in the PDF (no map tiles from the internet)."""

import json
import math

from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

MAX_BYTES = 512 * 1024
MAX_POINTS = 20_000
ALLOWED_TYPES = ("Polygon", "MultiPolygon")
WIDTH, HEIGHT, MARGIN = 480, 360, 12


def _geometry(document) -> dict:
    """The geometry of a bare geometry, a Feature, or a FeatureCollection of one feature."""
    if not isinstance(document, dict):
        raise ValidationError("The file is not a GeoJSON object.")
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features") or []
        if len(features) != 1:
            raise ValidationError("The collection must hold exactly one feature: the network's area.")
        document = features[0]
        kind = document.get("type") if isinstance(document, dict) else None
    if kind == "Feature":
        document = document.get("geometry")
        kind = document.get("type") if isinstance(document, dict) else None
    if kind not in ALLOWED_TYPES:
        raise ValidationError(f"The boundary must be a Polygon or MultiPolygon, not {kind or 'nothing'}.")
    return document


def _rings(geometry: dict) -> list[list]:
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError("The boundary has no coordinates.")
    rings = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError("A polygon of the boundary has no rings.")
        rings.extend(polygon)
    return rings


def validate_boundary(raw: bytes) -> dict:
    """Parse and check an uploaded boundary; return its geometry (a Polygon
    or MultiPolygon in longitude/latitude). Raises ValidationError saying why not."""
    if len(raw) > MAX_BYTES:
        raise ValidationError(f"The boundary file is larger than {MAX_BYTES // 1024} KB; simplify it first.")
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError("The file is not GeoJSON (it cannot be read as JSON).") from None
    geometry = _geometry(document)
    points = 0
    for ring in _rings(geometry):
        if not isinstance(ring, list) or len(ring) < 4:
            raise ValidationError("Each ring of the boundary needs at least four points.")
        for point in ring:
            if (
                not isinstance(point, list)
                or len(point) < 2
                or not all(isinstance(v, int | float) and math.isfinite(v) for v in point[:2])
            ):
                raise ValidationError("A point of the boundary is not a pair of numbers.")
            if not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90):
                raise ValidationError("A point of the boundary is not a longitude and latitude.")
        if ring[0][:2] != ring[-1][:2]:
            raise ValidationError("Each ring of the boundary must end where it starts.")
        points += len(ring)
    if points > MAX_POINTS:
        raise ValidationError(f"The boundary has {points:,} points; at most {MAX_POINTS:,}.")
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}


def boundary_svg(geometry: dict | None, *, label: str) -> SafeString:
    """The boundary drawn to fit a box, north up, longitudes scaled by the
    latitude so the shape is not stretched; empty when there is none."""
    if not geometry:
        return mark_safe("")
    rings = _rings(geometry)
    points = [(p[0], p[1]) for ring in rings for p in ring]
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    squash = math.cos(math.radians((min_y + max_y) / 2))
    span_x, span_y = max((max_x - min_x) * squash, 1e-9), max(max_y - min_y, 1e-9)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)

    def xy(point) -> str:
        x = MARGIN + (point[0] - min_x) * squash * scale
        y = HEIGHT - MARGIN - (point[1] - min_y) * scale
        return f"{x:.1f},{y:.1f}"

    path = " ".join("M" + " L".join(xy(p) for p in ring) + " Z" for ring in rings)
    return format_html(
        '<svg class="fp-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}"><title>{}</title><path d="{}" fill="#005eb8" fill-opacity="0.15" '
        'stroke="#005eb8" stroke-width="2" fill-rule="evenodd"/></svg>',
        WIDTH,
        HEIGHT,
        label,
        label,
        path,
    )
