using Microsoft.Extensions.Options;

namespace ImageReducer.Workflow.Configuration;

/// <summary>Reports every problem of the settings at startup, one line each.</summary>
public sealed class ImageReducerOptionsValidator : IValidateOptions<ImageReducerOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ImageReducerOptions options)
    {
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
