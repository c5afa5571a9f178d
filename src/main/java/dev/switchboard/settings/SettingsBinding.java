package dev.switchboard.settings;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.core.env.MapPropertySource;
import org.springframework.stereotype.Component;

/**
 * How the typed settings records are bound, the same way by Spring Boot at startup and by the command-line tools
 * (which start no Spring context): a blank value of a number, flag or duration is refused rather than quietly taken
 * for the default, and a value that does not convert is reported as one line naming the variable.
 */
public final class SettingsBinding {

    private static final String PREFIX = "switchboard";

    private SettingsBinding() {
    }

    /**
     * Binds the {@link ConfigurationProperties} record {@code type} from {@code env}, which answers a variable's
     * name (DATABASE_URL, SWITCHBOARD_JOBS_POLL_INTERVAL, ...) with its value or null.
     *
     * @throws InvalidSettingException naming the variable, when a value is malformed or out of bounds
     */
    public static <T> T bind(Class<T> type, Function<String, String> env) {
        ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
        String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
        // The record's own properties, each read from its variable: an enumerable source, as the environment is.
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent component : type.getRecordComponents()) {
            String property = prefix + "." + DataObjectPropertyName.toDashedForm(component.getName());
            String value = SettingVariables.resolve(property, env);
            if (value != null) {
                values.put(property, value);
            }
        }
        Binder binder = new Binder(ConfigurationPropertySources.from(new MapPropertySource("variables", values)));
        try {
            return binder.bindOrCreate(prefix, Bindable.of(type), refuseBlank(BindHandler.DEFAULT));
        } catch (BindException e) {
            throw invalid(e);
        }
    }

    /** The one-line report of a failed binding: the record's own message, or what the value should have been. */
    static InvalidSettingException invalid(BindException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidSettingException invalid) {
                return invalid;
            }
        }
        ConfigurationProperty property = e.getProperty();
        Object value = property == null ? null : property.getValue();
        return new InvalidSettingException(SettingVariables.variable(e.getName().toString()) + " must be "
                + expected(e.getTarget()) + ", not '" + value + "'");
    }

    /** True when {@code name} is one of Switchboard's settings rather than Spring Boot's. */
    static boolean ours(ConfigurationPropertyName name) {
        return name.getNumberOfElements() > 1 && name.getElement(0, ConfigurationPropertyName.Form.UNIFORM)
                .equals(PREFIX);
    }

    private static String expected(Bindable<?> target) {
        Class<?> type = target.getType().resolve(Object.class);
        if (type == Duration.class) {
            return target.getAnnotation(DurationUnit.class) != null ? "a whole number"
                    : "a duration such as PT30S (ISO-8601) or 500ms";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
            return "a whole number";
        }
        return "a valid " + type.getSimpleName();
    }

    private static BindHandler refuseBlank(BindHandler parent) {
        return new AbstractBindHandler(parent) {
            @Override
            public void onFinish(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
                                 Object result) throws Exception {
                ConfigurationProperty property = context.getConfigurationProperty();
                if (result == null && property != null && ours(name) && property.getValue() instanceof String text
                        && text.isBlank() && target.getType().resolve(Object.class) != String.class) {
                    throw new InvalidSettingException(SettingVariables.variable(name.toString()) + " must be "
                            + expected(target) + ", not '" + text + "'");
                }
                super.onFinish(name, target, context, result);
            }
        };
    }

    /** Applies the same rules to the records Spring Boot binds at startup. */
    @Component
    static class BlankValues implements ConfigurationPropertiesBindHandlerAdvisor {

        @Override
        public BindHandler apply(BindHandler handler) {
            return refuseBlank(handler);
        }
    }
}
