using ImageReducer.Cli.Errors;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Reducing;

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
    };

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
