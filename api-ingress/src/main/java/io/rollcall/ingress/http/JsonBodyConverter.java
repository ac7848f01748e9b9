package io.rollcall.ingress.http;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConversionException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring's JSON converter, reading a request body in one go so that photos can be decoded while it is parsed
 * ({@link ImageText}). The body is read into one array (its size is already bounded by {@link BodyLimit}) and parsed
 * with the photo fields decoded directly; when a photo is anything but plain standard base64, the same array is
 * parsed again with the photo as text. Errors are Spring's own, as its converter raises them, so the error mapping
 * ({@link ApiExceptionHandler}) does not change. Bodies in a charset other than UTF-8 take Spring's own path.
 *
 * <p>It only reads, and only bodies that carry a photo field: Spring asks converters in order and this one comes
 * first, so answers (and every other body, a {@code String} or {@code byte[]} one among them) keep the converters
 * they had.
 */
public final class JsonBodyConverter extends JacksonJsonHttpMessageConverter {
    private final long maxImageBytes;

    public JsonBodyConverter(JsonMapper mapper, long maxImageBytes) {
        super(mapper);
        this.maxImageBytes = maxImageBytes;
    }

    @Override
    public boolean canRead(ResolvableType type, MediaType mediaType) {
        return CARRIES_PHOTOS.get(type.toClass()) && super.canRead(type, mediaType);
    }

    @Override
    public boolean canRead(Class<?> clazz, MediaType mediaType) {
        return CARRIES_PHOTOS.get(clazz) && super.canRead(clazz, mediaType);
    }

    @Override
    public boolean canWrite(ResolvableType type, Class<?> valueClass, MediaType mediaType) {
        return false;
    }

    @Override
    public boolean canWrite(Class<?> clazz, MediaType mediaType) {
        return false;
    }

    /** A record with an {@link ImageText} component, directly or in a list of such records. */
    private static final ClassValue<Boolean> CARRIES_PHOTOS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (!type.isRecord()) {
                return false;
            }
            for (RecordComponent c : type.getRecordComponents()) {
                if (c.getType() == ImageText.class) {
                    return true;
                }
                if (c.getGenericType() instanceof ParameterizedType list && List.class.isAssignableFrom(c.getType())
                        && list.getActualTypeArguments()[0] instanceof Class<?> element && element != type
                        && get(element)) {
                    return true;
                }
            }
            return false;
        }
    };

    @Override
    public Object read(ResolvableType type, HttpInputMessage input, Map<String, Object> hints)
            throws IOException, HttpMessageNotReadableException {
        MediaType contentType = input.getHeaders().getContentType();
        if (contentType != null && contentType.getCharset() != null
                && !StandardCharsets.UTF_8.equals(contentType.getCharset())) {
            return super.read(type, input, hints);
        }
        byte[] body = readBody(input);
        JavaType javaType = getJavaType(type.getType(), null);
        ObjectReader reader = getMapper().readerFor(javaType);
        try {
            try {
                return reader.withAttribute(ImageText.DecodeWhileParsing.KEY,
                        new ImageText.DecodeWhileParsing(body, maxImageBytes)).readValue(body);
            } catch (ImageText.NotPlainBase64 e) {
                return reader.readValue(body);
            } catch (JacksonException e) {
                // Jackson wraps what a field's deserializer throws, adding the field's path.
                if (!notPlainBase64(e)) {
                    throw e;
                }
                return reader.readValue(body);
            }
        } catch (InvalidDefinitionException e) {
            throw new HttpMessageConversionException("Type definition error: " + e.getType(), e);
        } catch (JacksonException e) {
            throw new HttpMessageNotReadableException("JSON parse error: " + e.getOriginalMessage(), e, input);
        }
    }

    @Override
    protected Object readInternal(Class<?> clazz, HttpInputMessage input) throws IOException, HttpMessageNotReadableException {
        return read(ResolvableType.forClass(clazz), input, null);
    }

    private static byte[] readBody(HttpInputMessage input) throws IOException {
        long length = input.getHeaders().getContentLength();
        InputStream in = input.getBody();
        if (length >= 0 && length < Integer.MAX_VALUE - 8) {
            // Straight into an array of the announced size: readNBytes(int) would gather 16 KiB chunks and copy them.
            byte[] body = new byte[(int) length];
            int read = in.readNBytes(body, 0, body.length);
            if (read < body.length) {
                return java.util.Arrays.copyOf(body, read);
            }
            // A body longer than it said is read on, as a stream would be; Tomcat stops at Content-Length anyway.
            byte[] rest = in.readAllBytes();
            if (rest.length == 0) {
                return body;
            }
            byte[] all = java.util.Arrays.copyOf(body, body.length + rest.length);
            System.arraycopy(rest, 0, all, body.length, rest.length);
            return all;
        }
        return in.readAllBytes();
    }

    private static boolean notPlainBase64(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ImageText.NotPlainBase64) {
                return true;
            }
        }
        return false;
    }
}
