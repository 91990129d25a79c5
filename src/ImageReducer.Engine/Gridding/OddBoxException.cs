using ImageReducer.Engine.Errors;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Gridding;

/// <summary>
/// <c>forceEvenSized</c> could not make a box even-sized: growing it by one pixel on either side
/// stays odd because the box already spans the whole odd-sized exposure along that axis
/// (the reference's "Cannot make bounding box even-sized. Probably too big."): the caller's settings,
/// <see cref="ErrorCodes.OddBox"/>.
/// </summary>
/// <param name="box">The clipped box that stays odd.</param>
/// <param name="bounds">The exposure box it is clipped to.</param>
/// <param name="message">What, where and why.</param>
public sealed class OddBoxException(Box box, Box bounds, string message) : ImageReducerException(ErrorClass.Caller, ErrorCodes.OddBox, message)
{
    /// <summary>The clipped box that stays odd-sized.</summary>
    public Box Box { get; } = box;

    /// <summary>The exposure box.</summary>
    public Box Bounds { get; } = bounds;
}
