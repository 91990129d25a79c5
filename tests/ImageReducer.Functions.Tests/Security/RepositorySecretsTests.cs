using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using ImageReducer.Workflow.Tests.Azurite;

namespace ImageReducer.Functions.Tests.Security;

/// <summary>The repository holds no secret: local settings are ignored by git and only the keyless sample is committed.</summary>
public sealed class RepositorySecretsTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ImageReducer.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no ImageReducer.sln above {AppContext.BaseDirectory}");
    }

    private static (int Exit, string Output) Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process git = Process.Start(start)!;
        string output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        return (git.ExitCode, output);
    }

    [Fact]
    public void Gitignore_LocalSettings_IsIgnoredAndNotTracked()
    {
        Assert.Equal(0, Git("check-ignore", "-q", "local.settings.json").Exit);
        Assert.Equal(0, Git("check-ignore", "-q", "src/ImageReducer.Functions/local.settings.json").Exit);
        Assert.DoesNotContain("local.settings.json", Git("ls-files").Output.Split('\n').Select(Path.GetFileName));
    }

    [Fact]
    public void Gitignore_Sample_IsNotIgnored()
    {
        Assert.Equal(1, Git("check-ignore", "-q", "local.settings.sample.json").Exit);
    }

    [Fact]
    public void LocalSettingsSample_HasNoKeyOrSignature()
    {
        string text = File.ReadAllText(Path.Combine(Root, "local.settings.sample.json"));
        using JsonDocument sample = JsonDocument.Parse(text);

        foreach (string secret in new[] { "AccountKey", "SharedAccessSignature", "sig=", "InstrumentationKey", "Password", "ClientSecret" })
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        // Storage connections point at Azurite, never at an account.
        foreach (JsonProperty value in sample.RootElement.GetProperty("Values").EnumerateObject())
            if (value.Name is "AzureWebJobsStorage" or "DataStorage")
                Assert.Equal("UseDevelopmentStorage=true", value.Value.GetString());
    }

    [Fact]
    public void TrackedConfiguration_HasNoAccountKeyOrSas()
    {
        string[] files = Git("ls-files", "*.json", "*.bicep", "*.bicepparam", "*.sh", "*.yml", "*.yaml").Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            string text = File.ReadAllText(Path.Combine(Root, file));
            // Azurite's well-known development key is public (and what local scripts use); any other key is a leak.
            foreach (Match key in Regex.Matches(text, @"AccountKey=([^;""'\s]*)", RegexOptions.IgnoreCase))
                Assert.True(key.Groups[1].Value == AzuriteServer.AccountKey, $"{file} holds an account key");
            Assert.False(text.Contains("SharedAccessSignature=", StringComparison.OrdinalIgnoreCase), $"{file} holds a SAS");
        }
    }
}
