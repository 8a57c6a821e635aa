"""Event banners: only real images, kept as a JPEG of at most 1600 x 500 pixels without their metadata
(the same rules as profile photos, accounts.photos)."""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts.photos import ACCEPTED_FORMATS, _on_white

BANNER_SIZE = (1600, 500)
BANNER_MAX_BYTES = 10 * 1024 * 1024
BANNER_MAX_PIXELS = 40_000_000


def make_banner(upload) -> ContentFile:
    """Return the upload shrunk to fit 1600 x 500 (never enlarged), as a JPEG without EXIF, or raise
    ValidationError naming the rule it breaks."""
    if upload.size > BANNER_MAX_BYTES:
        raise ValidationError(
            _("This image is %(size)s; the limit is %(limit)s. Please choose a smaller file.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(BANNER_MAX_BYTES)},
            code="banner_too_large",
        )
    upload.seek(0)
    data = upload.read()
    with warnings.catch_warnings():
        # Pillow only warns between 1x and 2x its pixel limit: treat that as the bomb it is.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # formats=: no other decoder (EPS, PSD…) ever touches an upload.
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as probe:
                width, height = probe.size
                probe.verify()
            if width * height > BANNER_MAX_PIXELS:
                raise Image.DecompressionBombError(f"{width}x{height}")
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
                image = _on_white(ImageOps.exif_transpose(image))
                image.thumbnail(BANNER_SIZE)
                out = io.BytesIO()
                # A fresh save without exif= drops EXIF (GPS position, camera serial…).
                image.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ValidationError(
                _("This image is too large to process safely: at most %(limit)s megapixels.")
                % {"limit": BANNER_MAX_PIXELS // 1_000_000},
                code="banner_bomb",
            ) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(
                _("This file is not an image we can read. Please upload a JPEG, PNG, GIF or WebP image."),
                code="banner_not_image",
            ) from exc
    return ContentFile(out.getvalue(), name="banner.jpg")
