// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Protocol.Tests.Model;

public sealed class DataTypeCatalogueTests
{
    [Fact]
    public void Catalogue_IdsMatchPositions_AndCoverAllEnumValues()
    {
        Assert.Equal(DataTypeCatalogue.Count, Enum.GetValues<StickDataType>().Length);
        for (var i = 0; i < DataTypeCatalogue.Count; i++)
        {
            Assert.Equal(i, (int)DataTypeCatalogue.All[i].Type);
        }
    }

    [Theory]
    [InlineData("server_id", StickDataType.ServerId)]
    [InlineData("http_req_rate", StickDataType.HttpReqRate)]
    [InlineData("server_name", StickDataType.ServerKey)]
    [InlineData("gpc_rate", StickDataType.GpcRate)]
    [InlineData("glitch_rate", StickDataType.GlitchRate)]
    public void TryGetByName_KnownName_ReturnsType(string name, StickDataType expected)
    {
        Assert.True(DataTypeCatalogue.TryGetByName(name, out var info));
        Assert.Equal(expected, info.Type);
    }

    [Fact]
    public void TableSchema_MaskAndOrder_FollowIds()
    {
        var schema = new TableSchema("stkt", StickKeyType.String, 33, 600000,
        [
            new DataTypeSpec(StickDataType.HttpReqRate, 1, 10000),
            new DataTypeSpec(StickDataType.ServerId, 1, 0),
            new DataTypeSpec(StickDataType.Gpc0, 1, 0),
        ]);
        Assert.Equal(0x405UL, schema.DataTypeMask);
        Assert.Equal(StickDataType.ServerId, schema.DataTypes[0].Type);
        Assert.Equal(StickDataType.HttpReqRate, schema.DataTypes[2].Type);
    }
}
