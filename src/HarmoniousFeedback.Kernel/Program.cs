using HarmoniousFeedback.Kernel.Protocol;

namespace HarmoniousFeedback.Kernel;

/// <summary><c>hfb-kernel &lt;connection-file.json&gt;</c>: the process Jupyter starts from the kernelspec's argv.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var log = Console.Error;
        if (args.Length != 1 || args[0] is "-h" or "--help")
        {
            log.WriteLine("usage: hfb-kernel <connection-file.json>   (started by Jupyter; install with 'hfb kernel install')");
            return args.Length == 1 ? 0 : 2;
        }
        try
        {
            var connection = ConnectionInfo.Load(args[0]);
            int code;
            using (var host = new KernelHost(connection, Environment.CurrentDirectory, log)) code = host.Run();
            // Foreground threads a cell started must not keep the process alive after a shutdown.
            Environment.Exit(code);
            return code;
        }
        catch (KernelException e)
        {
            log.WriteLine("hfb-kernel: error: " + e.Message);
            return 2;
        }
    }
}
