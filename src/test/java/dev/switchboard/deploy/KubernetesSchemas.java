package dev.switchboard.deploy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import java.util.List;
import java.util.Map;

/**
 * Checks a rendered manifest against the Kubernetes API schema, through the official Kubernetes Java models:
 * they are generated from the API server's OpenAPI document, and their validators reject unknown fields,
 * missing required fields and wrong types at every level. Quantities and int-or-string values are then parsed
 * by the same library. The ServiceMonitor, a Prometheus Operator resource, has no model there; its few
 * fields are checked by hand.
 */
final class KubernetesSchemas {

    private record Kind(String apiVersion, Class<?> model) {
    }

    private static final Map<String, Kind> KINDS = Map.of(
            "Deployment", new Kind("apps/v1", V1Deployment.class),
            "Service", new Kind("v1", V1Service.class),
            "Secret", new Kind("v1", V1Secret.class),
            "PersistentVolumeClaim", new Kind("v1", V1PersistentVolumeClaim.class),
            "Job", new Kind("batch/v1", V1Job.class),
            "PodDisruptionBudget", new Kind("policy/v1", V1PodDisruptionBudget.class));

    private static final String DNS_SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

    private KubernetesSchemas() {
    }

    /** Throws an AssertionError that says what is wrong, or returns quietly. */
    static void validate(Map<String, Object> manifest) {
        String kind = (String) manifest.get("kind");
        String name = HelmChart.path(manifest, "metadata", "name");
        if (name == null || name.length() > 253 || !name.matches(DNS_SUBDOMAIN)) {
            throw new AssertionError(kind + ": metadata.name is not a DNS subdomain: " + name);
        }
        Map<String, Object> labels = HelmChart.path(manifest, "metadata", "labels");
        if (labels != null) {
            labels.forEach((k, v) -> {
                if (!(v instanceof String value) || value.length() > 63) {
                    throw new AssertionError(kind + " " + name + ": label " + k + " must be a string of at most 63 characters");
                }
            });
        }
        if ("ServiceMonitor".equals(kind)) {
            validateServiceMonitor(manifest);
            return;
        }
        Kind expected = KINDS.get(kind);
        if (expected == null) {
            throw new AssertionError("no schema for kind " + kind);
        }
        if (!expected.apiVersion().equals(manifest.get("apiVersion"))) {
            throw new AssertionError(kind + " must be " + expected.apiVersion() + ", not " + manifest.get("apiVersion"));
        }
        JsonElement json = new Gson().toJsonTree(manifest);
        try {
            expected.model().getMethod("validateJsonElement", JsonElement.class).invoke(null, json);
            new JSON().deserialize(json.toString(), expected.model());
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new AssertionError(kind + " " + name + " does not match the Kubernetes schema: " + cause.getMessage(), cause);
        } catch (RuntimeException e) {
            throw new AssertionError(kind + " " + name + " does not match the Kubernetes schema: " + e.getMessage(), e);
        }
    }

    private static void validateServiceMonitor(Map<String, Object> monitor) {
        if (!"monitoring.coreos.com/v1".equals(monitor.get("apiVersion"))) {
            throw new AssertionError("ServiceMonitor must be monitoring.coreos.com/v1");
        }
        Map<String, Object> spec = HelmChart.path(monitor, "spec");
        if (spec == null || !(HelmChart.path(spec, "selector", "matchLabels") instanceof Map)) {
            throw new AssertionError("ServiceMonitor needs spec.selector.matchLabels");
        }
        List<Map<String, Object>> endpoints = HelmChart.path(spec, "endpoints");
        if (endpoints == null || endpoints.isEmpty()) {
            throw new AssertionError("ServiceMonitor needs spec.endpoints");
        }
        for (Map<String, Object> endpoint : endpoints) {
            for (String key : endpoint.keySet()) {
                if (!List.of("port", "path", "interval", "scrapeTimeout", "basicAuth").contains(key)) {
                    throw new AssertionError("ServiceMonitor endpoint has an unexpected field " + key);
                }
            }
            Map<String, Object> basicAuth = HelmChart.path(endpoint, "basicAuth");
            if (basicAuth != null) {
                // username and password are each a SecretKeySelector: a Secret's name and one of its keys.
                if (!basicAuth.keySet().equals(java.util.Set.of("username", "password"))) {
                    throw new AssertionError("ServiceMonitor basicAuth needs exactly username and password");
                }
                for (Object selector : basicAuth.values()) {
                    if (!(selector instanceof Map<?, ?> ref) || !(ref.get("name") instanceof String)
                            || !(ref.get("key") instanceof String)
                            || !java.util.Set.of("name", "key", "optional").containsAll(ref.keySet())) {
                        throw new AssertionError("ServiceMonitor basicAuth entries are {name, key}: " + selector);
                    }
                }
            }
        }
    }


    static void validateAll(HelmChart.Manifests manifests) {
        manifests.documents().forEach(KubernetesSchemas::validate);
    }
}
