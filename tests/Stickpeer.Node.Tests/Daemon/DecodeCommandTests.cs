// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Spectre.Console.Testing;
using Stickpeer.Daemon.Decode;

namespace Stickpeer.Node.Tests.Daemon;

public sealed class DecodeCommandTests
{
    [Theory]
    [InlineData("32 30 30 0A 00 04", DecodeExitCode.Success, "")]
    [InlineData("32 30 30 0A 00 04 zz", DecodeExitCode.BadHex, "not hex")]
    [InlineData("32 30 30 0A 00 04 0A 84 01 01", DecodeExitCode.Malformed, "byte offset 6")]
    [InlineData("32 30 30 0A 00 04 0A 80 09 00", DecodeExitCode.Incomplete, "byte offset 6")]
    public async Task RunAsync_Stdin_ReturnsDocumentedExitCode(string input, int expectedCode, string expectedError)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await DecodeCommand.RunAsync("-", new StringReader(input), stdout, stderr);

        Assert.Equal(expectedCode, code);
        Assert.Contains(expectedError, stderr.ToString(), StringComparison.Ordinal);
        if (expectedCode != DecodeExitCode.BadHex)
        {
            Assert.Contains("@4 HEARTBEAT", stdout.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_MissingFile_ReturnsUsageError()
    {
        var stderr = new StringWriter();

        var code = await DecodeCommand.RunAsync(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")), TextReader.Null, TextWriter.Null, stderr);

        Assert.Equal(DecodeExitCode.Usage, code);
        Assert.Contains("cannot read", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_Redirected_ALinePerTenthUpTo100_AndDecodedLinesOnStdoutOnly()
    {
        var input = BigSession(heartbeats: 600_000); // 1.2 MB: several progress reports
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await DecodeCommand.RunAsync("-", progress: true, terminal: null, new StringReader(input), stdout, stderr, TimeProvider.System);

        Assert.Equal(DecodeExitCode.Success, code);
        var percents = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => int.Parse(l["decode: ".Length..l.IndexOf('%', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(percents.Count >= 3, stderr.ToString());
        Assert.Equal(percents.Order(), percents);
        Assert.Equal(100, percents[^1]);
        Assert.DoesNotContain("decode:", stdout.ToString(), StringComparison.Ordinal);
        Assert.Equal(600_000, stdout.ToString().Split('\n').Count(l => l.Contains("HEARTBEAT", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Progress_OnATerminal_ShowsABarOnStderr()
    {
        var terminal = new TestConsole().Interactive();
        var stdout = new StringWriter();

        var code = await DecodeCommand.RunAsync("-", progress: true, terminal, new StringReader(BigSession(heartbeats: 200_000)), stdout, TextWriter.Null, TimeProvider.System);

        Assert.Equal(DecodeExitCode.Success, code);
        Assert.Contains("decoding", terminal.Output, StringComparison.Ordinal);
        Assert.Contains("100%", terminal.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_SmallInputWithoutTheFlag_NoBar()
    {
        var terminal = new TestConsole().Interactive();

        var code = await DecodeCommand.RunAsync("-", progress: false, terminal, new StringReader("32 30 30 0A 00 04"), TextWriter.Null, TextWriter.Null, TimeProvider.System);

        Assert.Equal(DecodeExitCode.Success, code);
        Assert.Empty(terminal.Output);
    }

    /// <summary>An acceptor's status line then <paramref name="heartbeats"/> heartbeats, as hex text.</summary>
    private static string BigSession(int heartbeats) => "32 30 30 0A" + string.Concat(Enumerable.Repeat(" 00 04", heartbeats));
}
