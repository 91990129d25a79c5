using System.Reflection;
using System.Text.Json;

namespace ImageReducer.Engine.Errors;

/// <summary>
/// An error as records carry it (failure records, summaries, the quarantine's record, the HTTP status document): its
/// class, its code and its message.
/// </summary>
/// <param name="Class">Who has to act (<see cref="ErrorClass"/>).</param>
/// <param name="Code">What went wrong, one word: a FITS error category (<c>Truncated</c>), a limit (<c>MaxTiles</c>)…</param>
/// <param name="Message">What, where and why (names the file and, for FITS errors, the HDU and card).</param>
public sealed record ErrorInfo(ErrorClass Class, string Code, string Message)
{
    /// <summary>
    /// The class and code of <paramref name="error"/>: an <see cref="ImageReducerException"/> carries its own; framework
    /// exceptions that can only mean a permanent fault of our own (an invalid argument, an unsupported value, a stored
    /// document that does not parse) are <see cref="ErrorClass.Internal"/> with their type's name as code. Null for any
    /// other exception: the host treats it as unexpected (the CLI exits 1, the workflow lets its retry policy decide).
    /// </summary>
    /// <remarks>A single exception wrapped in an <see cref="AggregateException"/> or a <see cref="TargetInvocationException"/> is unwrapped.</remarks>
    public static ErrorInfo? Of(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Exception e = Unwrap(error);
        return e switch
        {
            ImageReducerException own => new ErrorInfo(own.ErrorClass, own.ErrorCode, own.Message),
            ArgumentException and not ArgumentNullException or NotSupportedException or JsonException =>
                new ErrorInfo(ErrorClass.Internal, e.GetType().Name, e.Message),
            _ => null,
        };
    }

    /// <summary>The innermost exception of a chain of single-exception wrappers (<see cref="AggregateException"/>, <see cref="TargetInvocationException"/>).</summary>
    public static Exception Unwrap(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        while (true)
        {
            switch (error)
            {
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    error = aggregate.InnerExceptions[0];
                    continue;
                case TargetInvocationException { InnerException: { } inner }:
                    error = inner;
                    continue;
                default:
                    return error;
            }
        }
    }

    /// <summary>One line: <c>Code (class): message</c>, e.g. <c>MaxTiles (caller): in.fits: tile size 1 cuts…</c>.</summary>
    public override string ToString() => $"{Code} ({NameOf(Class)}): {Message}";

    /// <summary>The name of <paramref name="errorClass"/> as documents write it (<c>badInput</c>).</summary>
    public static string NameOf(ErrorClass errorClass) => JsonNamingPolicy.CamelCase.ConvertName(errorClass.ToString());
}
