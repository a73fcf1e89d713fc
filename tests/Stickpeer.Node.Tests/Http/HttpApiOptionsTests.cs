// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using Stickpeer.Admin.Http;

namespace Stickpeer.Node.Tests.Http;

public sealed class HttpApiOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1:9100", "127.0.0.1:9100")]
    [InlineData("localhost:9100", "127.0.0.1:9100")]
    [InlineData("[::1]:9100", "[::1]:9100")]
    [InlineData("127.0.0.1:0", "127.0.0.1:0")]
    public void Loopback_WithoutToken_Accepted(string address, string endpoint)
    {
        Assert.True(HttpApiOptions.TryCreate(address, null, out var options, out var error), error);
        Assert.Equal(endpoint, options.Endpoint.ToString());
        Assert.Null(options.Token);
    }

    [Theory]
    [InlineData("0.0.0.0:9100")]
    [InlineData("[::]:9100")]
    [InlineData("192.0.2.1:9100")]
    public void NonLoopback_WithoutToken_Refused(string address)
    {
        Assert.False(HttpApiOptions.TryCreate(address, "", out _, out var error));
        Assert.Contains("needs a bearer token", error, StringComparison.Ordinal);
    }

    [Fact]
    public void NonLoopback_WithToken_Accepted()
    {
        Assert.True(HttpApiOptions.TryCreate("0.0.0.0:9100", "abc", out var options, out _));
        Assert.Equal(IPAddress.Any, options.Endpoint.Address);
        Assert.Equal("abc", options.Token);
    }

    [Theory]
    [InlineData("9100")]
    [InlineData("127.0.0.1")]
    [InlineData("::1:9100")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("host.example:9100")]
    public void BadAddress_Refused(string address)
    {
        Assert.False(HttpApiOptions.TryCreate(address, "t", out _, out var error));
        Assert.Contains("is not an address and port", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenWithSpace_Refused()
    {
        Assert.False(HttpApiOptions.TryCreate("127.0.0.1:1", "a b", out _, out var error));
        Assert.Contains("printable ASCII", error, StringComparison.Ordinal);
    }
}
