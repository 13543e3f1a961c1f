# Writes the NumPy fixtures of runtime/engine/data/test/arrays.test.ts with NumPy itself, so the
# tests read files as np.save and np.savez write them. Run once from the repository root with
# Debian's python3-numpy: `/usr/bin/python3 test-fixtures/data/make-numpy.py`; the output is
# committed, so tests never run it.
#
# The good arrays hold 5 examples: features x[i, c, r, k] = i + c/10 + r/100 + k/1000 of shape
# (5, 3, 2, 2), labels 0 2 1 2 0.
import io
import os
import zipfile

import numpy as np

out = os.path.join('test-fixtures', 'data', 'npy')
os.makedirs(out, exist_ok=True)


def save(name, a, **kw):
    np.save(os.path.join(out, name), a, **kw)


i, c, r, k = np.meshgrid(np.arange(5), np.arange(3), np.arange(2), np.arange(2), indexing='ij')
x = (i + c / 10 + r / 100 + k / 1000).astype(np.float32)
y = np.array([0, 2, 1, 2, 0], dtype=np.int64)
pixels = (np.arange(5 * 3 * 2 * 2) * 4 % 256).astype(np.uint8).reshape(5, 3, 2, 2)

save('x.npy', x)
save('y.npy', y)
save('x-uint8.npy', pixels)
save('x-nhwc.npy', np.ascontiguousarray(pixels.transpose(0, 2, 3, 1)))
save('x-float64.npy', x.reshape(5, 12).astype(np.float64))
save('x-int64.npy', np.arange(10, dtype=np.int64).reshape(5, 2))
save('x-big-endian.npy', x.astype('>f4'))
save('y-uint8.npy', y.astype(np.uint8))
save('y-int32.npy', y.astype(np.int32))
save('y-bool.npy', np.array([True, False, True, True, False]))
save('y-regression.npy', np.array([[0.5, -1], [1.5, 2], [2.5, 0], [3.5, 1], [4.5, 3]], dtype=np.float32))
with open(os.path.join(out, 'x-version2.npy'), 'wb') as f:
    np.lib.format.write_array(f, x, version=(2, 0))

# Bad inputs.
save('fortran.npy', np.asfortranarray(np.arange(15, dtype=np.float32).reshape(5, 3)))
save('objects.npy', np.array([1, 'a', None, 2.5, 3], dtype=object), allow_pickle=True)
save('float16.npy', x.astype(np.float16))
save('complex.npy', np.zeros((5, 2), dtype=np.complex64))
save('strings.npy', np.array(['cat', 'dog', 'cat', 'dog', 'cat']))
save('structured.npy', np.zeros(5, dtype=[('a', '<f4'), ('b', '<i8')]))
nan = x.reshape(5, 12).copy()
nan[3, 7] = np.nan
save('nan.npy', nan)
inf = x.reshape(5, 12).astype(np.float64)
inf[1, 2] = 1e300
save('too-large.npy', inf)
save('y-negative.npy', np.array([0, 1, -1, 2, 0], dtype=np.int64))
save('y-fraction.npy', np.array([0, 1, 2.5, 2, 0], dtype=np.float32))
save('y-onehot.npy', np.eye(3, dtype=np.float32)[y])
save('y-four.npy', y[:4])
save('y-huge.npy', np.array([0, 1, 2, 10**9, 0], dtype=np.int64))
save('y-nan-regression.npy', np.array([0.5, np.nan, 1, 2, 3], dtype=np.float32))
save('x-flat.npy', np.arange(5, dtype=np.float32))
save('x-empty.npy', np.zeros((0, 3), dtype=np.float32))
with open(os.path.join(out, 'x.npy'), 'rb') as f:
    whole = f.read()
with open(os.path.join(out, 'truncated.npy'), 'wb') as f:
    f.write(whole[: len(whole) - 7])
with open(os.path.join(out, 'not-npy.npy'), 'wb') as f:
    f.write(b'x,y\n1,2\n')

# Archives.
np.savez(os.path.join(out, 'tiny.npz'), x=x, y=y)
np.savez_compressed(os.path.join(out, 'tiny-compressed.npz'), x=x, y=y)
np.savez(os.path.join(out, 'named.npz'), train_x=pixels, train_y=y.astype(np.uint8))
with open(os.path.join(out, 'tiny-compressed.npz'), 'rb') as f:
    archive = f.read()
with open(os.path.join(out, 'truncated.npz'), 'wb') as f:
    f.write(archive[: len(archive) // 2])
with open(os.path.join(out, 'not-zip.npz'), 'wb') as f:
    f.write(b'not a zip archive at all, just text\n')
# A member with a damaged deflate stream: the compressed bytes of 'x.npy' are overwritten.
damaged = bytearray(archive)
with zipfile.ZipFile(io.BytesIO(archive)) as z:
    info = z.getinfo('x.npy')
h = info.header_offset
start = h + 30 + int.from_bytes(archive[h + 26:h + 28], 'little') + int.from_bytes(archive[h + 28:h + 30], 'little')
damaged[start + 10: start + 30] = b'\xff' * 20
with open(os.path.join(out, 'damaged.npz'), 'wb') as f:
    f.write(bytes(damaged))
