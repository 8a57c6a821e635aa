"""Event banners: only real images, kept as a JPEG of at most 1600 x 500 pixels without their metadata
(the same rules as profile photos)."""

from django.core.files.base import ContentFile

from accounts.photos import shrink_to_jpeg

BANNER_SIZE = (1600, 500)
BANNER_MAX_BYTES = 10 * 1024 * 1024
BANNER_MAX_PIXELS = 40_000_000


def make_banner(upload) -> ContentFile:
    """The upload shrunk to fit 1600 x 500 (never enlarged), or a ValidationError naming the rule."""
    return shrink_to_jpeg(upload, box=BANNER_SIZE, max_bytes=BANNER_MAX_BYTES, max_pixels=BANNER_MAX_PIXELS,
                          name="banner.jpg", progressive=True)  # fmt: skip
