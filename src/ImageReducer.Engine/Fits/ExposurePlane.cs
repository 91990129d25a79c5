namespace ImageReducer.Engine.Fits;

/// <summary>The three pixel planes of an exposure file, in file order.</summary>
public enum ExposurePlane
{
    /// <summary>HDU 1, EXTNAME = 'IMAGE', BITPIX −32.</summary>
    Image,
    /// <summary>HDU 2, EXTNAME = 'MASK', BITPIX 32.</summary>
    Mask,
    /// <summary>HDU 3, EXTNAME = 'VARIANCE', BITPIX −32.</summary>
    Variance,
}
