package xiio.examples;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses a TCP port, 0 to 65535, saying in words what is wrong with anything else. */
final class PortConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
        int port;
        try {
            port = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a port number (0 to 65535)");
        }
        if (port < 0 || port > 65535) throw new TypeConversionException("port " + port + " is out of range 0..65535");
        return port;
    }
}
