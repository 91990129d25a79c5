using System.Buffers.Binary;
using System.Runtime.InteropServices;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// Reads the rows of an input exposure blob that one tile needs: the headers and PSF through small
/// range reads, then each plane's rows with large range requests in parallel, each written straight
/// into the plane's pixel array (no staging buffer, no copy), then byte-swapped in place.
/// </summary>
/// <remarks>
/// <para>A tile's rows span the full width, so they are one contiguous byte range of each plane. The
/// fast path covers what the engine's reader would copy unchanged (LSST layout, BITPIX matching the
/// plane type, no BZERO/BSCALE scaling) and a box smaller than the image; anything else (scaled or
/// foreign planes, a single tile whose whole-image read verifies DATASUM) goes through the engine's
/// region reader, so the pixels are the same either way.</para>
/// <para>Every range request is conditional on the planned ETag: a blob replaced mid-read fails the
/// tile instead of mixing two versions.</para>
/// </remarks>
internal sealed class TileInputReader(IBlobStore store)
{
    /// <summary>Bytes asked for by one range request (large requests amortise the per-request cost).</summary>
    public const int RangeBytes = 8 << 20;

    /// <summary>Range requests in flight at once for one tile.</summary>
    public const int Concurrency = 4;

    /// <summary>
    /// Reads <paramref name="box"/> (parent coordinates) of <paramref name="input"/> at version
    /// <paramref name="eTag"/>, whose exposure covers <paramref name="fullBox"/> (its origin is xy0);
    /// <paramref name="owned"/> is the tile's region, the rows whose raw bytes' checksums are returned.
    /// </summary>
    /// <returns>
    /// The piece, the bytes read, and how the input planes' checksums were covered: <c>Sums</c> holds the
    /// ones'-complement sums of the owned rows' bytes of IMAGE, MASK and VARIANCE (fast path, when the
    /// piece holds every owned row), null otherwise; <c>WholeRead</c> is true when the engine read whole
    /// planes and so verified their cards itself.
    /// </returns>
    public async Task<(Exposure Piece, long BytesRead, uint[]? Sums, bool WholeRead)> ReadAsync(BlobPath input, string eTag, long length, ExposureFormat format,
        Box fullBox, Box box, Box owned, CancellationToken cancellationToken)
    {
        var headers = new RangeReadStream(store, input, length, 64 * 1024);
        // The FITS reader reads synchronously (a few small range requests): off the caller's thread, as PlanStep does.
        using var reader = await Task.Run(() => new FitsReader(headers, FitsReadOptions.Default, input.ToString()), cancellationToken).ConfigureAwait(false);
        var options = new ExposureReadOptions { Format = format, Region = box };
        var planes = format == ExposureFormat.Lsst ? DirectPlanes(reader) : null;
        if (planes is null || !IsRowsOfImage(reader, planes[0], fullBox, box))
        {
            // The engine's reader through a buffered range stream: exact, sequential, slower.
            using var stream = new CountingReadStream(await store.OpenReadAsync(input, cancellationToken).ConfigureAwait(false));
            Exposure piece = await Task.Run(() => ExposureFits.Read(stream, options, input.ToString()), cancellationToken).ConfigureAwait(false);
            return (piece, stream.BytesRead + headers.BytesFetched, null, box == fullBox);
        }

        // PSF, WCS, metadata and mask planes as the engine reads them, from the box's first row alone.
        Exposure firstRowOnly = await Task.Run(() => ExposureFits.Read(reader, options with { Region = new Box(box.MinX, box.MinY, box.Width, 1) }),
            cancellationToken).ConfigureAwait(false);
        int width = box.Width, height = box.Height;
        float[] image = GC.AllocateUninitializedArray<float>(width * height);
        int[] mask = GC.AllocateUninitializedArray<int>(width * height);
        float[] variance = GC.AllocateUninitializedArray<float>(width * height);
        Memory<byte>[] targets = [new PixelBytes<float>(image).Memory, new PixelBytes<int>(mask).Memory, new PixelBytes<float>(variance).Memory];
        long rowBytes = width * 4L, firstRow = box.MinY - fullBox.MinY;
        var requests = new List<(Memory<byte> Target, long Offset)>();
        for (int p = 0; p < planes.Length; p++)
        {
            long start = planes[p].DataOffset + firstRow * rowBytes;
            for (int at = 0; at < targets[p].Length; at += RangeBytes)
                requests.Add((targets[p].Slice(at, Math.Min(RangeBytes, targets[p].Length - at)), start + at));
        }

        long read = 0;
        await Parallel.ForAsync(0, requests.Count, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var (target, offset) = requests[i];
                int n = await store.ReadIntoAsync(input, offset, target, eTag, ct).ConfigureAwait(false);
                if (n != target.Length)
                {
                    FitsHdu hdu = planes.Last(h => h.DataOffset <= offset);
                    throw FitsErrors.TruncatedData(input.ToString(), hdu.Index, hdu.DataOffset, hdu.DataLength, offset + n);
                }
                // FITS is big-endian; every plane here is 4 bytes a pixel (vectorised, in place).
                Span<int> words = MemoryMarshal.Cast<byte, int>(target.Span);
                BinaryPrimitives.ReverseEndianness(words, words);
                Interlocked.Add(ref read, n);
            }).ConfigureAwait(false);

        uint[]? sums = null;
        if (!owned.IsEmpty && owned.MinY >= box.MinY && owned.MaxY <= box.MaxY)
        {
            // After the in-place swap each native 32-bit value is one big-endian word of the file; the
            // owned rows start at a multiple of 4 bytes of the data unit, so their sums compose exactly.
            int start = (owned.MinY - box.MinY) * width, count = owned.Height * width;
            long offset = (owned.MinY - (long)fullBox.MinY) * rowBytes;
            sums =
            [
                FitsChecksum.Zero.AddBigEndian<float>(image.AsSpan(start, count), offset).Value,
                FitsChecksum.Zero.AddBigEndian<int>(mask.AsSpan(start, count), offset).Value,
                FitsChecksum.Zero.AddBigEndian<float>(variance.AsSpan(start, count), offset).Value,
            ];
        }

        using (firstRowOnly)
        {
            var masked = new MaskedImage(Image<float>.Wrap(image, box), new Mask(Image<int>.Wrap(mask, box), firstRowOnly.Mask.Planes.Clone()),
                Image<float>.Wrap(variance, box));
            return (new Exposure(masked, firstRowOnly.Psf, firstRowOnly.Wcs, firstRowOnly.Metadata), read + headers.BytesFetched, sums, false);
        }
    }

    /// <summary>IMAGE, MASK and VARIANCE when all three hold their pixels as the engine's types, unscaled; otherwise null.</summary>
    private static FitsHdu[]? DirectPlanes(FitsReader reader)
    {
        FitsHdu? image = reader.Find("IMAGE"), mask = reader.Find("MASK"), variance = reader.Find("VARIANCE");
        if (image is null || mask is null || variance is null) return null;
        static bool Unscaled(FitsHdu h) => h.IsImage2D && h.Header.GetDouble("BZERO", 0) == 0 && h.Header.GetDouble("BSCALE", 1) == 1;
        bool direct = image.Bitpix == -32 && variance.Bitpix == -32 && mask.Bitpix == 32 && Unscaled(image) && Unscaled(mask) && Unscaled(variance)
                      && mask.Width == image.Width && variance.Width == image.Width && mask.Height == image.Height && variance.Height == image.Height;
        return direct ? [image, mask, variance] : null;
    }

    /// <summary>
    /// Whether <paramref name="box"/> is whole rows of the image but not all of them (then its rows are one
    /// byte range of each plane). The engine's first-row read checks <paramref name="fullBox"/> against the file's xy0.
    /// </summary>
    private static bool IsRowsOfImage(FitsReader reader, FitsHdu image, Box fullBox, Box box)
    {
        Box file = reader.FullBox(image);
        return file.Width == fullBox.Width && file.Height == fullBox.Height && fullBox.Contains(box)
               && box.MinX == fullBox.MinX && box.Width == fullBox.Width && box.Height < fullBox.Height;
    }
}
