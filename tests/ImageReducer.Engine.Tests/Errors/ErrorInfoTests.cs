using System.Reflection;
using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Engine.Tests.Errors;

public class ErrorInfoTests
{
    public static TheoryData<Exception, ErrorClass, string> EngineErrors => new()
    {
        { new FitsFormatException(FitsErrorKind.TruncatedData, "x", "a.fits", 1), ErrorClass.BadInput, "Truncated" },
        { new FitsFormatException(FitsErrorKind.DatasumMismatch, "x", "a.fits", 1), ErrorClass.BadInput, "ChecksumMismatch" },
        { new ConfigValidationException("cellSizeX", "x"), ErrorClass.Caller, ErrorCodes.InvalidConfig },
        { new GridTooLargeException(10, 5, "x"), ErrorClass.Caller, ErrorCodes.MaxCells },
        { new OddBoxException(Box.Empty, Box.Empty, "x"), ErrorClass.Caller, ErrorCodes.OddBox },
        { ReduceErrors.ExpectedExposure(3, ReduceOperation.Average, null), ErrorClass.Caller, ErrorCodes.ReduceMismatch },
        { ReduceErrors.OutOfOrder(3, 2), ErrorClass.Internal, ErrorCodes.ReduceOrder },
        { new MissingPsfException("x"), ErrorClass.UnsuitableInput, ErrorCodes.MissingPsf },
        { new InvalidPsfException("x"), ErrorClass.UnsuitableInput, ErrorCodes.UnusablePsf },
        { new MaskPlaneException("x"), ErrorClass.UnsuitableInput, ErrorCodes.MaskPlane },
        { new MapperRegistrationException("x"), ErrorClass.Internal, ErrorCodes.MapperRegistration },
    };

    [Theory]
    [MemberData(nameof(EngineErrors))]
    public void Of_EngineError_CarriesItsClassAndCode(Exception error, ErrorClass errorClass, string code)
    {
        Assert.Equal(new ErrorInfo(errorClass, code, error.Message), ErrorInfo.Of(error));
    }

    [Fact]
    public void EveryEngineException_DerivesFromTheOneBase()
    {
        Type[] exceptions = [.. typeof(ImageReducerException).Assembly.GetTypes().Where(t => typeof(Exception).IsAssignableFrom(t))];
        Assert.NotEmpty(exceptions);
        Assert.All(exceptions, t => Assert.True(typeof(ImageReducerException).IsAssignableFrom(t), $"{t.FullName} is not an ImageReducerException"));
    }

    [Fact]
    public void Of_WrappedOnce_IsTheInnerErrorsClass()
    {
        var inner = new MissingPsfException("no PSF");
        Assert.Equal(ErrorClass.UnsuitableInput, ErrorInfo.Of(new AggregateException(inner))?.Class);
        Assert.Equal(ErrorClass.UnsuitableInput, ErrorInfo.Of(new TargetInvocationException(new AggregateException(inner)))?.Class);
    }

    [Fact]
    public void Of_PermanentFrameworkFault_IsInternalCodedByItsType()
    {
        Assert.Equal(new ErrorInfo(ErrorClass.Internal, "ArgumentException", "bad"), ErrorInfo.Of(new ArgumentException("bad")));
        Assert.Equal(ErrorClass.Internal, ErrorInfo.Of(new JsonException("bad"))?.Class);
        Assert.Equal(ErrorClass.Internal, ErrorInfo.Of(new NotSupportedException("bad"))?.Class);
    }

    [Fact]
    public void Of_OtherException_IsNotClassified()
    {
        Assert.Null(ErrorInfo.Of(new InvalidOperationException("x")));
        Assert.Null(ErrorInfo.Of(new IOException("x")));
        Assert.Null(ErrorInfo.Of(new ArgumentNullException("x")));
        Assert.Null(ErrorInfo.Of(new OperationCanceledException()));
    }

    [Fact]
    public void ToString_IsCodeClassAndMessageOnOneLine()
    {
        Assert.Equal("MaxTiles (caller): in.fits: too many tiles", new ErrorInfo(ErrorClass.Caller, "MaxTiles", "in.fits: too many tiles").ToString());
        Assert.Equal("Truncated (badInput): x", new ErrorInfo(ErrorClass.BadInput, "Truncated", "x").ToString());
    }

    [Fact]
    public void Json_ClassIsItsCamelCaseNameWhateverTheOptions()
    {
        var error = new ErrorInfo(ErrorClass.UnsuitableInput, "MissingPsf", "x");
        string json = JsonSerializer.Serialize(error);
        Assert.Contains("\"Class\":\"unsuitableInput\"", json);
        Assert.Equal(error, JsonSerializer.Deserialize<ErrorInfo>(json));
        Assert.Equal(error, JsonSerializer.Deserialize<ErrorInfo>(JsonSerializer.Serialize(error, new JsonSerializerOptions(JsonSerializerDefaults.Web)),
            new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }
}
