"""Profile photos: accept only real images, strip what they carry, keep a small thumbnail."""

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Phone cameras' multi-picture JPEGs (MPO) open through the JPEG decoder too.
ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
Image.init()  # registers every plugin, so that formats= can name WebP


def make_thumbnail(upload) -> ContentFile:
    """Return the upload as a JPEG thumbnail without EXIF, or raise ValidationError naming the rule."""
    if upload.size > settings.PROFILE_PHOTO_MAX_BYTES:
        raise ValidationError(
            _("This photo is %(size)s; the limit is %(limit)s. Please choose a smaller file.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.PROFILE_PHOTO_MAX_BYTES),
            },
            code="photo_too_large",
        )
    upload.seek(0)
    data = upload.read()
    with warnings.catch_warnings():
        # Pillow only warns between 1x and 2x its pixel limit: treat that as the bomb it is.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # formats=: no other decoder (EPS, PSD…) ever touches what a stranger uploads.
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as probe:
                width, height = probe.size
                probe.verify()
            if width * height > settings.PROFILE_PHOTO_MAX_PIXELS:
                raise Image.DecompressionBombError(f"{width}x{height}")
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
                image = ImageOps.exif_transpose(image)
                image = _on_white(image)
                image.thumbnail(settings.PROFILE_PHOTO_SIZE)
                out = io.BytesIO()
                # A fresh save without exif= drops EXIF (GPS position, camera serial…).
                image.save(out, format="JPEG", quality=85, optimize=True)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ValidationError(
                _("This image is too large to process safely: at most %(limit)s megapixels.")
                % {"limit": settings.PROFILE_PHOTO_MAX_PIXELS // 1_000_000},
                code="photo_bomb",
            ) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(
                _("This file is not an image we can read. Please upload a JPEG, PNG, GIF or WebP photo."),
                code="photo_not_image",
            ) from exc
    return ContentFile(out.getvalue(), name="photo.jpg")


def _on_white(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: show what was transparent as white, not as the hidden colour."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
