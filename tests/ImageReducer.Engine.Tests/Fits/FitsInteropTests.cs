using System.Text.Json;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Tests.FitsTests;

/// <summary>
/// INTEROP: files written by astropy are read correctly; files we write are read by astropy with
/// identical pixels and cards and pass cfitsio's fitsverify with no error and no warning.
/// Needs /usr/bin/python3 with astropy and fitsverify; a missing tool fails the test.
/// </summary>
public class FitsInteropTests
{
    private const string AstropyLsst = """
        import sys, json, warnings
        import numpy as np
        from astropy.io import fits
        warnings.simplefilter('ignore')
        rng = np.random.default_rng(1)
        img = (rng.random((13, 17)) * 100 - 20).astype('>f4')
        msk = rng.integers(0, 1 << 10, size=(13, 17)).astype('>i4')
        var = rng.random((13, 17)).astype('>f4')
        prim = fits.PrimaryHDU()
        prim.header['TELESCOP'] = 'LSST'
        hdus = [prim]
        for name, data in (('IMAGE', img), ('MASK', msk), ('VARIANCE', var)):
            h = fits.ImageHDU(data=data, name=name)
            h.header['EXTTYPE'] = name
            h.header['INHERIT'] = True
            for k, v in (('CTYPE1A', 'LINEAR'), ('CTYPE2A', 'LINEAR'), ('CRPIX1A', 1.0), ('CRPIX2A', 1.0),
                         ('CRVAL1A', 7.0), ('CRVAL2A', -3.0), ('CUNIT1A', 'PIXEL'), ('CUNIT2A', 'PIXEL'), ('LTV1', -7.0), ('LTV2', 3.0)):
                h.header[k] = v
            if name == 'MASK':
                for i, p in enumerate(['BAD', 'SAT', 'INTRP', 'CR', 'EDGE', 'DETECTED', 'DETECTED_NEGATIVE', 'SUSPECT', 'NO_DATA']):
                    h.header['MP_' + p] = i
            hdus.append(h)
        fits.HDUList(hdus).writeto(sys.argv[1], checksum=True, overwrite=True)
        print(json.dumps({'img': img.tobytes().hex(), 'msk': msk.tobytes().hex(), 'var': var.tobytes().hex()}))
        """;

    private const string AstropyHst = """
        import sys, json, warnings
        import numpy as np
        from astropy.io import fits
        warnings.simplefilter('ignore')
        sci = np.arange(12, dtype='>f4').reshape(3, 4) * 1.5
        err = np.full((3, 4), 2.0, dtype='>f4')
        dq = np.array([[0, 4, 256, 4096], [8192, 2, 0, 0], [0, 0, 0, 1]], dtype='>i2')
        hdus = [fits.PrimaryHDU(), fits.ImageHDU(sci, name='SCI', ver=1), fits.ImageHDU(err, name='ERR', ver=1), fits.ImageHDU(dq, name='DQ', ver=1)]
        hdus[0].header['INSTRUME'] = 'ACS'
        hdus[1].header['CTYPE1'] = 'RA---TAN'
        fits.HDUList(hdus).writeto(sys.argv[1], overwrite=True)
        """;

    private const string AstropyUint16 = """
        import sys
        import numpy as np
        from astropy.io import fits
        data = (np.arange(20, dtype=np.uint16).reshape(4, 5) * 3000).astype(np.uint16)
        fits.PrimaryHDU(data).writeto(sys.argv[1], overwrite=True)
        print(fits.getheader(sys.argv[1])['BZERO'])
        """;

    private const string AstropyDump = """
        import sys, json, warnings
        import numpy as np
        from astropy.io import fits
        warnings.simplefilter('error')  # a checksum warning fails the script
        out = []
        with fits.open(sys.argv[1], checksum=True) as hl:
            hl.verify('exception')
            for h in hl:
                cards = []
                for c in h.header.cards:
                    v = c.value
                    if isinstance(v, fits.card.Undefined): v = None
                    elif isinstance(v, (bool, np.bool_)): v = bool(v)
                    elif isinstance(v, (int, np.integer)): v = int(v)
                    elif isinstance(v, (float, np.floating)): v = repr(float(v))
                    else: v = str(v)
                    cards.append([c.keyword, v])
                entry = {'name': h.name, 'cards': cards}
                if h.data is not None and h.is_image:
                    entry['data'] = np.ascontiguousarray(h.data.astype(h.data.dtype.newbyteorder('>'))).tobytes().hex()
                elif h.data is not None:
                    entry['columns'] = h.columns.names
                    entry['kinds'] = [str(k) for k in h.data['KIND']]
                out.append(entry)
        print(json.dumps(out))
        """;

    private static string HexOf<T>(Image<T> img) where T : unmanaged
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(img.ToArray().AsSpan()).ToArray();
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        for (int i = 0; i < bytes.Length; i += size) Array.Reverse(bytes, i, size);
        return Convert.ToHexString(bytes).ToLowerInvariant();
    }

    [Fact]
    public void Interop_AstropyLsstLayoutWithMaskPlaneCards_IsReadCorrectly()
    {
        using var dir = new TestExposures.TempFolder();
        string path = dir.File("astropy-lsst.fits");
        var expected = JsonDocument.Parse(ExternalTools.RunPython(AstropyLsst, path)).RootElement;
        using var e = ExposureFits.Read(path, new ExposureReadOptions { Format = ExposureFormat.Lsst });
        Assert.Equal(new Box(7, -3, 17, 13), e.Box);
        Assert.Equal(expected.GetProperty("img").GetString(), HexOf(e.Image)); // bit-exact pixels
        Assert.Equal(expected.GetProperty("msk").GetString(), HexOf(e.Mask.Pixels));
        Assert.Equal(expected.GetProperty("var").GetString(), HexOf(e.Variance));
        Assert.Equal(6, e.Mask.Planes.GetBit("DETECTED_NEGATIVE")); // written by astropy as HIERARCH
        Assert.Equal(9, e.Mask.Planes.Count);
        Assert.Contains(e.Metadata, c => c.Keyword == "TELESCOP" && (string?)c.Value == "LSST");
    }

    [Fact]
    public void Interop_AstropyHstLayout_IsReadWithErrSquaredAndMappedDq()
    {
        using var dir = new TestExposures.TempFolder();
        string path = dir.File("astropy-hst.fits");
        ExternalTools.RunPython(AstropyHst, path);
        using var e = ExposureFits.Read(path);
        Assert.Equal(1.5f * 6, e.Image[2, 1]);
        Assert.Equal(4f, e.Variance[0, 0]);
        var p = e.Mask.Planes;
        Assert.Equal(p.GetBitMask("BAD"), e.Mask.Pixels[1, 0]);
        Assert.Equal(p.GetBitMask("SAT"), e.Mask.Pixels[2, 0]);
        Assert.Equal(p.GetBitMask("CR"), e.Mask.Pixels[3, 0]);
        Assert.Equal(p.GetBitMask("CR"), e.Mask.Pixels[0, 1]);
        Assert.Equal(p.GetBitMask("NO_DATA"), e.Mask.Pixels[1, 1]);
        Assert.Contains(e.Wcs, c => c.Keyword == "CTYPE1");
    }

    [Fact]
    public void Interop_AstropyScaledUint16_IsReadAsPhysicalFloats()
    {
        using var dir = new TestExposures.TempFolder();
        string path = dir.File("astropy-u16.fits");
        Assert.Equal("32768", ExternalTools.RunPython(AstropyUint16, path).Trim());
        using var e = ExposureFits.Read(path);
        Assert.Equal(ExposureFormat.Plain, DetectFile(path));
        Assert.Equal(19 * 3000f, e.Image[4, 3]); // 57000 > int16 max: only right through BZERO
        Assert.Equal(0f, e.Image[0, 0]);
    }

    private static ExposureFormat DetectFile(string path)
    {
        using var r = FitsReader.Open(path);
        return ExposureFits.DetectFormat(r);
    }

    [Fact]
    public void Interop_OurExposure_IsReadByAstropyWithIdenticalPixelsAndCards()
    {
        using var dir = new TestExposures.TempFolder();
        string path = dir.File("ours.fits");
        using var e = TestExposures.Patterned(psf: TestExposures.Coadd());
        ExposureFits.Write(e, path);
        var hdus = JsonDocument.Parse(ExternalTools.RunPython(AstropyDump, path)).RootElement.EnumerateArray().ToArray();
        Assert.Equal(5, hdus.Length);
        Assert.Equal(["PRIMARY", "IMAGE", "MASK", "VARIANCE", "PSF"], hdus.Select(h => h.GetProperty("name").GetString()));
        Assert.Equal(HexOf(e.Image), hdus[1].GetProperty("data").GetString());
        Assert.Equal(HexOf(e.Mask.Pixels), hdus[2].GetProperty("data").GetString());
        Assert.Equal(HexOf(e.Variance), hdus[3].GetProperty("data").GetString());
        Assert.Equal(["coadd", "kernelImage", "doubleGaussian", "gaussian", "varyingGaussian"],
            hdus[4].GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));

        // Every card we wrote reads back in astropy with the same keyword and value.
        using var reader = FitsReader.Open(path);
        for (int i = 0; i < reader.Hdus.Count; i++)
        {
            var astropyCards = hdus[i].GetProperty("cards").EnumerateArray()
                .Select(c => (Key: c[0].GetString()!, Value: c[1])).Where(c => c.Key is not ("COMMENT" or "HISTORY" or "")).ToList();
            var ours = reader.Hdus[i].Header.Where(c => !c.IsCommentary).ToList();
            Assert.Equal(ours.Select(c => c.Keyword), astropyCards.Select(c => c.Key));
            for (int k = 0; k < ours.Count; k++)
                AssertSameValue(ours[k], astropyCards[k].Value);
        }
    }

    private static void AssertSameValue(FitsCard ours, JsonElement theirs)
    {
        switch (ours.Value)
        {
            case null: Assert.Equal(JsonValueKind.Null, theirs.ValueKind); break;
            case bool b: Assert.Equal(b, theirs.GetBoolean()); break;
            case long l: Assert.Equal(l, theirs.GetInt64()); break;
            case double d: Assert.Equal(d, double.Parse(theirs.GetString()!, System.Globalization.CultureInfo.InvariantCulture)); break; // repr round-trips exactly
            case string s: Assert.Equal(s, theirs.GetString()); break;
        }
    }

    [Fact]
    public void Interop_OurExposureWithPsf_PassesFitsverifyWithoutErrorsOrWarnings()
    {
        using var dir = new TestExposures.TempFolder();
        string path = dir.File("verify.fits");
        using var e = TestExposures.Patterned(psf: TestExposures.Coadd(), undefinedCard: false);
        ExposureFits.Write(e, path);
        var (errors, warnings, output) = ExternalTools.Fitsverify(path);
        Assert.True(errors == 0 && warnings == 0, output);
    }

    [Fact]
    public void Interop_OurPsfFile_PassesFitsverifyWithoutErrorsOrWarnings()
    {
        using var dir = new TestExposures.TempFolder();
        string path = dir.File("psf.fits");
        PsfFits.Write(TestExposures.Coadd(), path);
        var (errors, warnings, output) = ExternalTools.Fitsverify(path);
        Assert.True(errors == 0 && warnings == 0, output);
    }

    [Fact]
    public void Interop_OurImagesOfEveryBitpix_PassFitsverify()
    {
        using var dir = new TestExposures.TempFolder();
        string path = dir.File("bitpix.fits");
        using (var fs = File.Create(path))
        using (var w = new FitsWriter(fs))
        {
            w.WriteImage(new Image<byte>(3, 2));
            w.WriteImage(new Image<short>(3, 2));
            w.WriteImage(new Image<int>(3, 2));
            w.WriteImage(new Image<long>(3, 2));
            w.WriteImage(new Image<float>(3, 2));
            w.WriteImage(new Image<double>(3, 2));
        }
        var (errors, warnings, output) = ExternalTools.Fitsverify(path);
        Assert.True(errors == 0 && warnings == 0, output);
    }
}
