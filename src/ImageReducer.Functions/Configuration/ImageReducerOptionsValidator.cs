using Microsoft.Extensions.Options;

namespace ImageReducer.Functions.Configuration;

/// <summary>Reports every problem of the settings at startup, one line each.</summary>
internal sealed class ImageReducerOptionsValidator : IValidateOptions<ImageReducerOptions>
{
    public ValidateOptionsResult Validate(string? name, ImageReducerOptions options)
    {
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
