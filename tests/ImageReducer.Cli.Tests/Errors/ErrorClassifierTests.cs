using ImageReducer.Cli.Errors;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Reducing;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Cli.Tests.Errors;

public class ErrorClassifierTests
{
    public static TheoryData<Exception, int> Cases => new()
    {
        { new UsageException("x"), ExitCodes.Usage },
        { new ConfigValidationException("cellSizeX", "x"), ExitCodes.Usage },
        { new ReduceException("x", 3), ExitCodes.Usage },
        { new InputDataException("x"), ExitCodes.InputData },
        { new FitsFormatException(FitsErrorKind.NotFits, "x", "a.fits", 0), ExitCodes.InputData },
        { new MissingPsfException("x"), ExitCodes.InputData },
        { new OperationCanceledException(), ExitCodes.Interrupted },
        { new AggregateException(new InputDataException("x")), ExitCodes.InputData },
        { new InvalidOperationException("x"), ExitCodes.Unexpected },
        { new NullReferenceException(), ExitCodes.Unexpected },
        // By class, whatever the type or the layer that raised it.
        { new GridTooLargeException(10, 5, "x"), ExitCodes.Usage },
        { new OddBoxException(Box.Empty, Box.Empty, "x"), ExitCodes.Usage },
        { ReductionErrors.MaxTiles(new BlobPath("incoming", "b.fits"), 1, 5000, 5000, 4096), ExitCodes.Usage },
        { ReductionErrors.MaxPixels(new BlobPath("incoming", "b.fits"), new Box(0, 0, 10, 10), 50), ExitCodes.InputData },
        { new BlobNotFoundException(new BlobPath("incoming", "b.fits")), ExitCodes.InputData },
        { new BlobStoreException(new BlobPath("incoming", "b.fits"), "down"), ExitCodes.Remote },
        { ReductionErrors.InputChanged(new BlobPath("incoming", "b.fits"), "run", "1", "2"), ExitCodes.Remote },
        { ReductionErrors.Inconsistent("x"), ExitCodes.Unexpected },
        { new RunFailedException("x", ErrorClass.Caller, ErrorCodes.MaxTiles), ExitCodes.Usage },
        { new RunFailedException("x"), ExitCodes.InputData },
        { new TaskCanceledException(), ExitCodes.Interrupted },
    };

    [Theory]
    [InlineData(ErrorClass.Caller, ExitCodes.Usage)]
    [InlineData(ErrorClass.BadInput, ExitCodes.InputData)]
    [InlineData(ErrorClass.UnsuitableInput, ExitCodes.InputData)]
    [InlineData(ErrorClass.NotFound, ExitCodes.InputData)]
    [InlineData(ErrorClass.Conflict, ExitCodes.Remote)]
    [InlineData(ErrorClass.Unavailable, ExitCodes.Remote)]
    [InlineData(ErrorClass.Internal, ExitCodes.Unexpected)]
    [InlineData(null, ExitCodes.Unexpected)]
    public void ExitCodeOf_EveryErrorClass_HasItsDocumentedCode(ErrorClass? errorClass, int expected)
    {
        Assert.Equal(expected, ErrorClassifier.ExitCodeOf(errorClass));
    }

    [Fact]
    public void MessageOf_OwnError_IsItsMessageWithoutTheType()
    {
        Assert.Equal("in.fits: truncated", ErrorClassifier.MessageOf(new FitsFormatException(FitsErrorKind.TruncatedData, "in.fits: truncated", "in.fits", 1)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExitCodeOf_MapsExceptionToDocumentedCode(Exception error, int expected)
    {
        Assert.Equal(expected, ErrorClassifier.ExitCodeOf(error));
    }

    [Fact]
    public void MessageOf_MultiLineMessage_IsOneLine()
    {
        Assert.Equal("first second", ErrorClassifier.MessageOf(new UsageException("first\n  second\r\n")));
    }

    [Fact]
    public void MessageOf_UnexpectedError_NamesTheExceptionType()
    {
        Assert.Equal("InvalidOperationException: boom", ErrorClassifier.MessageOf(new InvalidOperationException("boom")));
    }
}
