// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Configuration;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Tests.Configuration;

public sealed class ConfigParserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stickpeer-cfg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static StickpeerConfiguration Parse(string text, string? local = "me", Func<string, string?>? env = null)
    {
        var parser = new ConfigParser(env ?? (_ => null));
        parser.ParseText("test.cfg", text);
        return parser.Build(local, "host");
    }

    [Fact]
    public void Build_ModernPeersSection_ReadsPeersListenerAndTables()
    {
        var cfg = Parse("""
            global
                stats socket /tmp/sp.sock level admin mode 600
                daemon
            peers mesh
                bind 127.0.0.1:10001
                server me
                server hap1 127.0.0.1:10002
                server hap2 [::1]:10003
                table t1 type ip size 1k expire 30s store gpc0,http_req_rate(10s)
            backend be
                stick-table type string len 32 size 100 peers mesh store conn_cnt
            """);

        Assert.Equal("me", cfg.LocalPeerName);
        var socket = Assert.Single(cfg.StatsSockets);
        Assert.Equal("/tmp/sp.sock", socket.Path);
        Assert.Equal("admin", socket.Level);
        Assert.Equal(384, socket.Mode);
        var section = Assert.Single(cfg.PeersSections);
        Assert.Equal("mesh", section.Name);
        Assert.Equal(new ConfigEndpoint("127.0.0.1", 10001), section.Listener.Address);
        Assert.Equal("me", section.LocalPeer.Name);
        Assert.Equal(["hap1", "hap2"], section.RemotePeers.Select(p => p.Name));
        Assert.Equal(new ConfigEndpoint("::1", 10003), section.Peers[2].Address);
        Assert.Equal(2, section.Tables.Count);
        var t1 = section.Tables[0];
        Assert.Equal("mesh/t1", t1.LocalName);
        Assert.Equal("/t1", t1.WireName);
        Assert.Equal(StickKeyType.IPv4, t1.Declaration.KeyType);
        Assert.Equal(1024, t1.Declaration.Size);
        Assert.Equal(30_000u, t1.Declaration.ExpireMs);
        Assert.Equal([new DataTypeSpec(StickDataType.Gpc0, 1, 0), new DataTypeSpec(StickDataType.HttpReqRate, 1, 10_000)], t1.Declaration.DataTypes);
        var be = section.Tables[1];
        Assert.Equal("be", be.LocalName);
        Assert.Equal("be", be.WireName);
        Assert.Equal(33, be.Declaration.KeySize);
        Assert.Equal("mesh", be.Declaration.PeersSection);
        Assert.Equal(["type", "string", "len", "32", "size", "100", "peers", "mesh", "store", "conn_cnt"], be.DeclarationTokens);
    }

    [Fact]
    public void Build_LegacyPeerLines_LocalPeerAddressIsListener()
    {
        var cfg = Parse("""
            peers legacy
                default-bind ssl crt CERT
                peer me 127.0.0.1:20000
                peer other 127.0.0.1:20001
            """.Replace("CERT", WriteFile("a.pem"), StringComparison.Ordinal));

        var section = Assert.Single(cfg.PeersSections);
        Assert.Equal(new ConfigEndpoint("127.0.0.1", 20000), section.Listener.Address);
        Assert.True(section.Listener.Tls.Enabled);
        Assert.Equal("other", Assert.Single(section.RemotePeers).Name);
    }

    [Fact]
    public void Build_LocalPeerPrecedence_CommandLineThenLocalpeerThenHostName()
    {
        const string Text = """
            global
                localpeer fromcfg
            peers p
                peer fromcfg 127.0.0.1:1
                peer cli 127.0.0.1:2
                peer host 127.0.0.1:3
            """;
        Assert.Equal("cli", Parse(Text, "cli").LocalPeerName);
        Assert.Equal("fromcfg", Parse(Text, null).LocalPeerName);
        var parser = new ConfigParser(_ => null);
        parser.ParseText("x.cfg", "peers p\n peer host 127.0.0.1:3\n");
        Assert.Equal("host", parser.Build(null, "host").LocalPeerName);
    }

    [Fact]
    public void Build_TlsOptions_DefaultServerAppliesToLaterServersAndCanBeOverridden()
    {
        var crt = WriteFile("node.pem");
        var ca = WriteFile("ca.pem");
        var cfg = Parse($"""
            peers tls
                bind 127.0.0.1:10000 ssl crt {crt} ca-file {ca} verify required
                default-server ssl crt {crt} ca-file {ca} verify required sni str(peers.example) ciphers HIGH
                server me
                server a 127.0.0.1:10001
                server b 127.0.0.1:10002 verify none no-ssl
            """);

        var section = cfg.PeersSections[0];
        Assert.Equal(new TlsSettings { Enabled = true, CertificateFile = crt, CaFile = ca, Verify = TlsVerifyMode.Required }, section.Listener.Tls);
        var a = section.Peers[1].Tls;
        Assert.True(a.Enabled);
        Assert.Equal("peers.example", a.ExpectedName);
        Assert.Equal(ca, a.CaFile);
        Assert.False(section.Peers[2].Tls.Enabled);
        Assert.Equal(TlsVerifyMode.None, section.Peers[2].Tls.Verify);
        Assert.Contains(cfg.Warnings, w => w.Contains("'ciphers' ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_CrtBaseAndCaBase_ResolveRelativePaths()
    {
        WriteFile("n.pem");
        WriteFile("c.pem");
        var cfg = Parse($"""
            global
                crt-base {_dir}
                ca-base {_dir}
            peers tls
                bind 127.0.0.1:10000 ssl crt n.pem ca-file c.pem verify required
                server me
            """);
        Assert.Equal(Path.Combine(_dir, "n.pem"), cfg.PeersSections[0].Listener.Tls.CertificateFile);
    }

    [Fact]
    public void Build_UnsupportedSectionsAndKeywords_OneWarningPerKind()
    {
        var cfg = Parse("""
            global
                maxconn 100
                maxconn 200
                log stdout format raw local0
            defaults
                mode http
                timeout client 5s
            resolvers dns
                nameserver a 1.1.1.1:53
            resolvers dns2
                nameserver a 1.1.1.1:53
            frontend fe
                bind :80
                bind :81
                stick-table type ip size 10
            peers p
                peer me 127.0.0.1:1
                log stdout local0
            """);

        Assert.Single(cfg.Warnings, w => w.Contains("'maxconn'", StringComparison.Ordinal));
        Assert.Single(cfg.Warnings, w => w.Contains("'resolvers'", StringComparison.Ordinal));
        Assert.Single(cfg.Warnings, w => w.Contains("'bind'", StringComparison.Ordinal));
        Assert.Contains("test.cfg:2: ", cfg.Warnings[0], StringComparison.Ordinal);
        Assert.Contains(cfg.Warnings, w => w.StartsWith("test.cfg:15: ", StringComparison.Ordinal) && w.Contains("not replicated", StringComparison.Ordinal));
        Assert.Contains(cfg.Warnings, w => w.StartsWith("test.cfg:18: ", StringComparison.Ordinal));
        Assert.Empty(cfg.PeersSections[0].Tables);
    }

    [Fact]
    public void Build_EnvironmentVariablesInQuotes_AreExpanded()
    {
        var env = new Dictionary<string, string> { ["ME"] = "me", ["PORT"] = "10444" };
        var cfg = Parse("global\n localpeer \"${ME}\"\npeers p\n peer \"${ME}\" \"127.0.0.1:${PORT}\"\n", local: null, env: env.GetValueOrDefault);
        Assert.Equal("me", cfg.LocalPeerName);
        Assert.Equal(10444, cfg.PeersSections[0].Listener.Address.Port);
    }

    [Fact]
    public void Build_MultipleFiles_SectionsFromEveryFile_LinesCountedPerFile()
    {
        var first = WriteFile("a.cfg", "global\n  localpeer me\n");
        var second = WriteFile("b.cfg", "peers p\n  peer me 127.0.0.1:1\n  table t type integer size 10\n");
        var parser = new ConfigParser(_ => null);
        parser.ParseFile(first);
        parser.ParseFile(second);
        var cfg = parser.Build(null, "host");
        Assert.Equal("me", cfg.LocalPeerName);
        Assert.Equal(new ConfigLocation(second, 3), cfg.PeersSections[0].Tables[0].Location);
    }

    [Fact]
    public void Build_DisabledSectionWithoutLocalPeer_IsSkipped()
    {
        var cfg = Parse("peers off\n disabled\n peer x 127.0.0.1:1\npeers on\n peer me 127.0.0.1:2\n");
        Assert.Equal("on", Assert.Single(cfg.PeersSections).Name);
    }

    [Fact]
    public void Build_StatsSocketTcp_ParsesEndpointAndDefaultLevel()
    {
        var cfg = Parse("global\n stats socket ipv4@127.0.0.1:9999\n stats socket unix@/run/x.sock level user\npeers p\n peer me 127.0.0.1:1\n");
        Assert.Equal(new ConfigEndpoint("127.0.0.1", 9999), cfg.StatsSockets[0].Endpoint);
        Assert.Equal("operator", cfg.StatsSockets[0].Level);
        Assert.Equal("/run/x.sock", cfg.StatsSockets[1].Path);
        Assert.Equal("user", cfg.StatsSockets[1].Level);
    }

    private string WriteFile(string name, string content = "x")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
