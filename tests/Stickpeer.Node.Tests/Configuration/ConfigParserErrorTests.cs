// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Configuration;

namespace Stickpeer.Node.Tests.Configuration;

public sealed class ConfigParserErrorTests
{
    private const string Mesh = "peers p\n peer me 127.0.0.1:1\n";

    public static TheoryData<string, int, string> Errors => new()
    {
        { "peer me 127.0.0.1:1\n", 1, "unknown keyword 'peer' out of section" },
        { "global\n  stats socket \"/tmp/x\n", 2, "unmatched double quote" },
        { "peers p\n peer me 127.0.0.1\n", 2, "missing port in address '127.0.0.1'" },
        { "peers p\n peer me 127.0.0.1:70000\n", 2, "invalid port '70000'" },
        { "peers p\n peer me 127.0.0.1:x\n", 2, "invalid port 'x'" },
        { "peers p\n peer me unix@/tmp/s:1\n", 2, "unsupported address family 'unix@'" },
        { "peers p\n peer me ::zz:1\n", 2, "invalid IPv6 address" },
        { "peers p\n peer me bad_host!:1\n", 2, "invalid host name" },
        { "peers p\n peer me\n", 2, "'peer me' expects an address" },
        { "peers p\n peer\n", 2, "'peer' expects a peer name" },
        { "peers p\n peer me 127.0.0.1:1\n peer me 127.0.0.1:2\n", 3, "peer 'me' is declared twice in peers section 'p' (first at test.cfg:2)" },
        { "peers p\n peer x 127.0.0.1:1\n", 1, "local peer 'me' (from -L or the host name) is missing from peers section 'p'" },
        { "peers p\n server me\n", 2, "has no address and the section has no 'bind' line" },
        { "peers p\n bind 127.0.0.1:1\n server me\n server o\n", 4, "remote peer 'o' of peers section 'p' has no address" },
        { "peers p\n peer me 127.0.0.1:1\n bind 127.0.0.1:2\n", 3, "'bind' cannot be mixed with 'peer' lines" },
        { "peers p\n bind 127.0.0.1:2\n peer me 127.0.0.1:1\n", 3, "'peer' lines cannot be mixed with a 'bind' line" },
        { "peers p\n bind 127.0.0.1:2\n bind 127.0.0.1:3\n", 3, "only one 'bind' line is allowed" },
        { "peers p\npeers p\n", 2, "peers section 'p' is declared twice" },
        { "peers\n", 1, "'peers' expects a section name" },
        { "backend\n", 1, "'backend' expects a name" },
        { Mesh + " table t type ip size 10 store gpc9\n", 3, "table 't' in peers section 'p': unknown data type 'gpc9'" },
        { Mesh + " table t type ip size 10 store gpc0,gpc0\n", 3, "data type 'gpc0' is stored more than once" },
        { Mesh + " table t type ip size 10 store http_req_rate\n", 3, "missing period for data type 'http_req_rate', e.g. 'http_req_rate(10s)'" },
        { Mesh + " table t type ip size 10 store gpc0(3)\n", 3, "data type 'gpc0' takes no argument" },
        { Mesh + " table t type ip size 10 store gpc(0)\n", 3, "element count of 'gpc' must be between 1 and 100, got '0'" },
        { Mesh + " table t type ip size 10 store gpc_rate(2)\n", 3, "data type 'gpc_rate' needs an element count and a period" },
        { Mesh + " table t type ip size 10 store gpc_rate(2,x)\n", 3, "invalid period for 'gpc_rate': invalid time value 'x'" },
        { Mesh + " table t type ip size 10 store conn_rate(1s\n", 3, "missing ')'" },
        { Mesh + " table t type ipx size 10\n", 3, "unknown key type 'ipx'" },
        { Mesh + " table t type string len 0 size 10\n", 3, "'len' expects a length between 1 and 65535, got '0'" },
        { Mesh + " table t type ip\n", 3, "table 't' in peers section 'p': missing 'size'" },
        { Mesh + " table t size 10\n", 3, "missing 'type'" },
        { Mesh + " table t type ip size 10x\n", 3, "unknown size suffix in '10x'" },
        { Mesh + " table t type ip size 10 expire 30y\n", 3, "unknown time unit 'y' in '30y'" },
        { Mesh + " table t type ip size 10 bogus\n", 3, "unknown argument 'bogus'." },
        { Mesh + " table t type ip size 10 peers p\n", 3, "'peers' is not allowed in a table of a peers section" },
        { Mesh + " table t type ip size 0\n", 3, "'size' must be at least 1" },
        { Mesh + " table t type ip size 3g\n", 3, "size '3g' is too large" },
        { Mesh + " table t type ip size 10 expire 25d\n", 3, "time value '25d' is too large" },
        { Mesh + " table t type ip size 10 srvkey port\n", 3, "'srvkey' expects 'name' or 'addr', got 'port'" },
        { Mesh + " table t type ip size 10 store conn_rate(0)\n", 3, "period of 'conn_rate' must be greater than 0" },
        { Mesh + " table t type ip size 10 store gpc0,gpc(2)\n", 3, "'gpc' cannot be stored with 'gpc0' or 'gpc1'" },
        { Mesh + " table t type ip size 10 write-to\n", 3, "'write-to' expects a table name" },
        { Mesh + " table t type ip size 10 brates-factor 1025\n", 3, "'brates-factor' expects a number greater than 0 and lower or equal than 1024" },
        { Mesh + " peer other /run/haproxy/peer.sock\n", 3, "UNIX-socket peer address '/run/haproxy/peer.sock' is not supported" },
        { Mesh + " table t stick-table type ip size 10\n", 3, "unknown argument 'stick-table'." },
        { Mesh + "backend b\n stick-table type ip size 10 store gpc9 peers p\n", 4, "'stick-table' in backend 'b': unknown data type 'gpc9'" },
        { Mesh + " table t type ip size 10\n table t type ip size 10\n", 4, "table 'p/t' is declared twice (first at test.cfg:3)" },
        { Mesh + "backend b\n stick-table type ip size 10 peers nowhere\n", 4, "stick-table of 'b' refers to unknown peers section 'nowhere'" },
        { Mesh + "backend b\n stick-table type ip size 10 peers\n", 4, "'peers' expects a peers section name" },
        { Mesh + " server o 127.0.0.1:2 bogus-param\n", 3, "unknown server parameter 'bogus-param'" },
        { Mesh + " server o 127.0.0.1:2 verify maybe\n", 3, "'verify' expects 'none' or 'required'" },
        { Mesh + " server o 127.0.0.1:2 ssl\n", 3, "verify is enabled by default but no CA file specified" },
        { Mesh + " server o 127.0.0.1:2 ssl verify none crt /nonexistent/x.pem\n", 3, "'crt' file '/nonexistent/x.pem' does not exist" },
        { Mesh + " server o 127.0.0.1:2 ssl verify required ca-file /nonexistent/ca.pem\n", 3, "'ca-file' file '/nonexistent/ca.pem' does not exist" },
        { Mesh + " server o 127.0.0.1:2 sni req.hdr(host)\n", 3, "'sni' only supports a constant 'str(<name>)'" },
        { Mesh + " server o 127.0.0.1:2 crt\n", 3, "'server' expects 'crt' followed by a file" },
        { "peers p\n bind 127.0.0.1:1 ssl\n server me\n", 2, "'ssl' on listener 127.0.0.1:1 requires a certificate" },
        { "peers p\n bind 127.0.0.1:1 bogus\n server me\n", 2, "unknown bind parameter 'bogus'" },
        { "peers p\n bind 127.0.0.1:1 crt-list x\n server me\n", 2, "'crt-list' is not supported" },
        { "peers p\n bind 127.0.0.1:1 verify sometimes\n server me\n", 2, "'verify' expects 'none', 'optional' or 'required'" },
        { "peers p\n bind 127.0.0.1:1 ssl crt /nonexistent.pem\n server me\n", 2, "'crt' file '/nonexistent.pem' does not exist" },
        { "global\n stats socket\n", 2, "'stats' expects an address" },
        { "global\n stats socket unix@\n", 2, "'stats socket' expects a path after 'unix@'" },
        { "global\n stats socket /tmp/s level god\n", 2, "'level' only supports 'user', 'operator' and 'admin'" },
        { "global\n stats socket /tmp/s mode 9x\n", 2, "'mode' expects an octal number" },
        { "global\n stats socket /tmp/s frobnicate\n", 2, "'stats socket' : unknown keyword 'frobnicate'." },
        { "global\n stats socket 127.0.0.1\n", 2, "missing port in address" },
        { "global\n localpeer\n", 2, "'localpeer' expects a peer name" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Build_InvalidConfiguration_ThrowsWithFileAndLine(string text, int line, string message)
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfigParserTests.Parse(text));
        Assert.Equal(new ConfigLocation("test.cfg", line), ex.Location);
        Assert.StartsWith($"test.cfg:{line}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_MissingFile_ThrowsWithPath()
    {
        var parser = new ConfigParser(_ => null);
        var ex = Assert.Throws<ConfigurationException>(() => parser.ParseFile("/nonexistent/haproxy.cfg"));
        Assert.StartsWith("/nonexistent/haproxy.cfg: cannot read configuration file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_LocalpeerMissingFromSection_NamesTheLocalpeerLine()
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfigParserTests.Parse("global\n localpeer zz\npeers p\n peer me 127.0.0.1:1\n", local: null));
        Assert.Equal("test.cfg:3: local peer 'zz' (from 'localpeer' at test.cfg:2) is missing from peers section 'p'", ex.Message);
    }
}
