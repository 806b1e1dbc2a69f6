using System.Text.Json;
using WhichFeatures.Core;
using WhichFeatures.Reporting;
using WhichFeatures.Training;

namespace WhichFeatures.Tests.Training;

/// <summary>The typed --device value and the config.json text it keeps.</summary>
public class DeviceChoiceTests
{
    [Theory]
    [InlineData("auto", DeviceKind.Auto, null)]
    [InlineData("cpu", DeviceKind.Cpu, null)]
    [InlineData("CPU", DeviceKind.Cpu, null)]
    [InlineData(" Cuda ", DeviceKind.Cuda, null)]
    [InlineData("cuda:1", DeviceKind.Cuda, 1)]
    [InlineData("CUDA:12", DeviceKind.Cuda, 12)]
    [InlineData("", DeviceKind.Auto, null)]   // empty was auto before the type existed
    public void Parses_kind_and_index_and_keeps_the_text(string text, DeviceKind kind, int? index)
    {
        var d = DeviceChoice.Parse(text, "--device");
        Assert.Equal((kind, index, text), (d.Kind, d.Index, d.ToString()));
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cpuu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("cuda1")]
    [InlineData("cuda:99999999999")]
    public void A_misspelt_device_is_a_one_line_error_naming_the_option_and_the_value(string text)
    {
        var e = Assert.Throws<UserInputException>(() => DeviceChoice.Parse(text, "--device"));
        Assert.Equal($"--device {text}: unknown device; expected one of: auto, cpu, cuda, cuda:N.", e.Message);
    }

    [Fact]
    public void The_named_values_are_the_choice_names_and_the_default_is_auto()
    {
        Assert.Equal(("auto", "cpu", "cuda"), (DeviceChoice.Auto.ToString(), DeviceChoice.Cpu.ToString(), DeviceChoice.Cuda.ToString()));
        Assert.Equal(DeviceChoice.Auto, default(DeviceChoice));
        Assert.Equal(DeviceChoice.Auto, new TrainConfig().Device);
        Assert.Equal(DeviceChoice.Cpu, DeviceChoice.Parse("cpu"));
        Assert.NotEqual(DeviceChoice.Cpu, DeviceChoice.Parse("CPU"));   // the text is part of the value, as the string was
        Assert.Equal(TorchSharp.DeviceType.CPU, TorchDevice.Resolve(DeviceChoice.Parse("CPU")).type);
    }

    // Old runs may hold the device as it was typed; --resume compares config.json with the checkpoint's copy byte for byte.
    [Theory]
    [InlineData("CPU", DeviceKind.Cpu, null)]
    [InlineData("cuda:1", DeviceKind.Cuda, 1)]
    [InlineData(" cpu", DeviceKind.Cpu, null)]
    public void A_config_json_with_the_device_as_typed_reads_and_writes_back_the_same_text(string device, DeviceKind kind, int? index)
    {
        var text = RunJson.Serialize(new TrainConfig().Validate()).Replace("\"device\": \"auto\"", $"\"device\": \"{device}\"");
        Assert.Contains($"\"device\": \"{device}\"", text);
        var cfg = JsonSerializer.Deserialize<TrainConfig>(text, RunJson.Options)!.Validate();
        Assert.Equal((kind, index, device), (cfg.Device.Kind, cfg.Device.Index, cfg.Device.ToString()));
        Assert.Equal(text, RunJson.Serialize(cfg));
    }

    [Theory]
    [InlineData("{\"device\": \"CPUU\"}", "--device CPUU: unknown device; expected one of: auto, cpu, cuda, cuda:N.")]
    [InlineData("{\"device\": \"cuda:one\"}", "--device cuda:one: unknown device; expected one of: auto, cpu, cuda, cuda:N.")]
    [InlineData("{\"device\": 1}", "--device: expected a string; expected one of: auto, cpu, cuda, cuda:N.")]
    public void A_config_json_with_a_misspelt_device_does_not_deserialise_and_the_message_names_it(string json, string message)
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TrainConfig>(json, RunJson.Options));
        Assert.Equal("$.device", e.Path);
        Assert.StartsWith(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
