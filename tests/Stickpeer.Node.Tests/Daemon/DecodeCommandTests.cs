// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

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
}
