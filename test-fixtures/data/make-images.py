# Writes the image-folder fixtures of runtime/engine/data/test/images.test.ts with Pillow, and
# what Pillow (torchvision's image backend) makes of them: each image converted to RGB or grey and
# resized to 4 × 4 with Image.BILINEAR, as torchvision's ImageFolder + Resize((4, 4)) read them.
# Run once from the repository root with Debian's python3-pil:
# `/usr/bin/python3 test-fixtures/data/make-images.py`; the output is committed.
import json
import os
import struct
import zlib

from PIL import Image

root = os.path.join('test-fixtures', 'data', 'images')


def path(*parts):
    p = os.path.join(root, *parts)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def gradient(w, h, mode='RGB'):
    """A small image whose every pixel differs: R = 255·x/w, G = 255·y/h, B = 37·(x + 2y) mod 256."""
    img = Image.new('RGB', (w, h))
    img.putdata([(255 * x // max(1, w - 1), 255 * y // max(1, h - 1), (37 * (x + 2 * y)) % 256) for y in range(h) for x in range(w)])
    return img.convert(mode) if mode != 'RGB' else img


def smooth(w, h):
    """Like gradient, with B = (R + G) / 2: colour that changes slowly, as in photographs."""
    img = Image.new('RGB', (w, h))
    img.putdata([(255 * x // (w - 1), 255 * y // (h - 1), (255 * x // (w - 1) + 255 * y // (h - 1)) // 2) for y in range(h) for x in range(w)])
    return img


# pets/: three classes, sorted as Python sorts them ('Zebra' < 'cat' < 'dog'), with every kind of
# file the loader reads, plus files it ignores.
good = {
    ('Zebra', 'z.png'): lambda: gradient(4, 4).save(path('pets', 'Zebra', 'z.png')),
    ('cat', 'a.png'): lambda: gradient(6, 4).save(path('pets', 'cat', 'a.png')),
    # NOTE: b.jpg keeps full-resolution colour (4:4:4). e.jpeg has Pillow's default 4:2:0 colour,
    # which jpeg-js upsamples by repeating each sample where libjpeg interpolates between them.
    ('cat', 'b.jpg'): lambda: gradient(8, 8).save(path('pets', 'cat', 'b.jpg'), quality=95, subsampling=0),
    ('cat', 'nested/c.png'): lambda: gradient(5, 3, 'L').save(path('pets', 'cat', 'nested', 'c.png')),
    ('cat', 'y.png'): lambda: gradient(2, 9).save(path('pets', 'cat', 'y.png')),
    ('dog', 'd.png'): lambda: gradient(4, 4, 'RGBA').save(path('pets', 'dog', 'd.png')),
    ('dog', 'e.jpeg'): lambda: smooth(12, 10).save(path('pets', 'dog', 'e.jpeg'), quality=95, progressive=True),
    ('dog', 'f.PNG'): lambda: gradient(3, 3).convert('P', palette=Image.ADAPTIVE, colors=8).save(path('pets', 'dog', 'f.PNG')),
    ('dog', 'g.jpg'): lambda: gradient(6, 6, 'L').save(path('pets', 'dog', 'g.jpg'), quality=95),
}
for make in good.values():
    make()
with open(path('pets', 'cat', 'notes.txt'), 'w') as f:
    f.write('not an image: ignored\n')
with open(path('pets', 'cat', '.hidden.png'), 'w') as f:
    f.write('a hidden file: skipped, so its bad bytes never matter\n')
with open(path('pets', 'README.md'), 'w') as f:
    f.write('A file beside the class folders: ignored.\n')


def imagefolder_order(folder):
    """The files in the order torchvision's ImageFolder lists them (datasets/folder.py, make_dataset)."""
    out = []
    for cls in sorted(e.name for e in os.scandir(folder) if e.is_dir()):
        for base, _, names in sorted(os.walk(os.path.join(folder, cls), followlinks=True)):
            for name in sorted(names):
                if name.lower().endswith(('.png', '.jpg', '.jpeg')):
                    out.append((cls, os.path.relpath(os.path.join(base, name), os.path.join(folder, cls))))
    return out


# NOTE: torchvision lists hidden files too; Minima skips names starting with a dot, so the order is
# compared without them.
order = [(c, n) for (c, n) in imagefolder_order(os.path.join(root, 'pets')) if not os.path.basename(n).startswith('.')]
assert sorted(order) == sorted(good), order
reference = {}
for (cls, name) in order:
    with Image.open(path('pets', cls, name)) as img:
        rgb = img.convert('RGB').resize((4, 4), Image.BILINEAR)
        grey = img.convert('L').resize((4, 4), Image.BILINEAR)
        reference[f'{cls}/{name}'] = {
            'class': cls,
            'rgb': [list(rgb.getchannel(b).getdata()) for b in 'RGB'],
            'grey': list(grey.getdata()),
            'format': img.format,
        }
with open(os.path.join('test-fixtures', 'data', 'images-reference.json'), 'w') as f:
    json.dump({'size': 4, 'order': [f'{c}/{n}' for (c, n) in order], 'images': reference}, f, separators=(',', ':'))
    f.write('\n')

# A 16-bit grey PNG: samples 0, 32896 (≈ 0.502) and 65535, read rounded to 8 bits.
Image.frombytes('I;16', (3, 1), struct.pack('<3H', 0, 32896, 65535)).save(path('deep', 'a', 'x.png'))

# Bad inputs, one folder each.
gradient(2, 2).save(path('bad-empty-class', 'a', 'x.png'))
with open(path('bad-empty-class', 'b', 'readme.txt'), 'w') as f:
    f.write('no images in this class\n')
gradient(2, 2).save(path('bad-no-classes', 'only.png'))
gradient(2, 2).save(path('bad-corrupt', 'a', 'ok.png'))
with open(path('bad-corrupt', 'a', 'ok.png'), 'rb') as f:
    png = f.read()
with open(path('bad-corrupt', 'b', 'broken.png'), 'wb') as f:
    f.write(png[:40])
with open(path('bad-not-image', 'a', 'fake.jpg'), 'w') as f:
    f.write('plain text with a .jpg name\n')
gradient(2, 2).save(path('bad-gif', 'a', 'really-a-gif.png'), format='GIF')
with open(path('bad-empty-file', 'a', 'empty.png'), 'wb') as f:
    pass
gradient(8, 8).save(path('bad-jpeg', 'a', 'ok.jpg'))
with open(path('bad-jpeg', 'a', 'ok.jpg'), 'rb') as f:
    jpg = f.read()
with open(path('bad-jpeg', 'a', 'cut.jpg'), 'wb') as f:
    f.write(jpg[:30])
# A PNG whose header claims 100000 × 100000 pixels: refused before decoding.
ihdr = struct.pack('>IIBBBBB', 100000, 100000, 8, 2, 0, 0, 0)
chunk = struct.pack('>I', len(ihdr)) + b'IHDR' + ihdr + struct.pack('>I', zlib.crc32(b'IHDR' + ihdr))
with open(path('bad-huge', 'a', 'huge.png'), 'wb') as f:
    f.write(b'\x89PNG\r\n\x1a\n' + chunk)
