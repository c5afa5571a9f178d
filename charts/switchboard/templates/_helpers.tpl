{{/* The chart's name, cut to Kubernetes' 63-character limit. */}}
{{- define "switchboard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's object names: "<release>-switchboard", or the release name when it already says switchboard. */}}
{{- define "switchboard.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "switchboard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "switchboard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "switchboard.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "switchboard.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "switchboard.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "switchboard.sqlite" -}}
{{- if eq .Values.db.type "sqlite" }}true{{ end }}
{{- end }}

{{/* Percent-encodes a user name or password for the URL; Go's query escaping writes a space as "+", which the URL parser keeps literal. */}}
{{- define "switchboard.urlEncode" -}}
{{- . | toString | urlquery | replace "+" "%20" }}
{{- end }}

{{/*
DATABASE_URL for the external database. The password part is passed in: the encoded password, or "" when
the password comes from existingSecret through DATABASE_PASSWORD (then the URL names the user alone).
*/}}
{{- define "switchboard.databaseUrl" -}}
{{- $root := index . 0 }}
{{- $password := index . 1 }}
{{- $db := $root.Values.db }}
{{- $scheme := get (dict "postgresql" "postgresql+psycopg" "mariadb" "mariadb+mariadbconnector" "mysql" "mysql+pymysql") $db.type }}
{{- /* Values files give numbers as floats; int64 keeps 3306 from printing as 3306.0 or 1e+06-style. */}}
{{- $port := $db.port | default (ternary 5432 3306 (eq $db.type "postgresql")) | int64 }}
{{- $params := dict }}
{{- if eq $db.type "mysql" }}
{{- /* MySQL 8 authenticates with caching_sha2_password; without TLS the driver must fetch the server's RSA key. */}}
{{- $_ := set $params "allowPublicKeyRetrieval" "true" }}
{{- end }}
{{- $params = merge (deepCopy ($db.params | default dict)) $params }}
{{- $query := list }}
{{- range $key := keys $params | sortAlpha }}
{{- $query = append $query (printf "%s=%s" (urlquery $key) (urlquery (toString (get $params $key)))) }}
{{- end }}
{{- $credentials := include "switchboard.urlEncode" $db.user }}
{{- if $password }}{{ $credentials = printf "%s:%s" $credentials $password }}{{ end }}
{{- printf "%s://%s@%s:%v/%s" $scheme $credentials $db.host $port (include "switchboard.urlEncode" $db.name) }}
{{- if $query }}?{{ join "&" $query }}{{ end }}
{{- end }}

{{/* Where the gateway's database settings come from: a value for sqlite, DATABASE_PASSWORD from existingSecret, a Secret otherwise. */}}
{{- define "switchboard.databaseEnv" -}}
{{- $root := index . 0 }}
{{- $secretName := index . 1 }}
{{- if include "switchboard.sqlite" $root }}
- name: DATABASE_URL
  value: "sqlite:////data/switchboard.db"
{{- else if $root.Values.db.existingSecret }}
{{- /* The Secret's value is used as is: DATABASE_PASSWORD needs no percent-encoding, unlike a URL. */}}
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.db.existingSecret }}
      key: {{ $root.Values.db.existingSecretPasswordKey }}
- name: DATABASE_URL
  value: {{ include "switchboard.databaseUrl" (list $root "") | quote }}
{{- else }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $secretName }}
      key: DATABASE_URL
{{- end }}
{{- end }}

{{/* The Secret that holds the gateway's own credentials: existingSecret, or the chart's. */}}
{{- define "switchboard.credentialsSecret" -}}
{{- .Values.existingSecret | default (include "switchboard.fullname" .) }}
{{- end }}

{{/*
The gateway's own credentials, all from one Secret. From existingSecret, JWT_SECRET is optional, and so is
SWITCHBOARD_SECRET_KEY on sqlite (which falls back to a key file generated on its volume); from the chart's Secret,
each is present exactly when its value is set, and the admin exactly when admin.password is (without it, the gateway
generates the administrator's password at the first start and keeps its hash in the registry).
*/}}
{{- define "switchboard.credentialsEnv" -}}
{{- $secret := include "switchboard.credentialsSecret" . }}
{{- $existing := .Values.existingSecret }}
{{- if or $existing .Values.secretKey }}
- name: SWITCHBOARD_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: SWITCHBOARD_SECRET_KEY
      {{- if and $existing (include "switchboard.sqlite" .) }}
      optional: true
      {{- end }}
{{- end }}
{{- if or $existing .Values.admin.password }}
{{- range $key := list "ADMIN_USER" "ADMIN_PASSWORD" }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
{{- end }}
{{- end }}
{{- if or $existing .Values.jwtSecret }}
- name: JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: JWT_SECRET
      {{- if $existing }}
      optional: true
      {{- end }}
{{- end }}
{{- end }}

{{/* Pool and migration settings shared by the gateway and the migration Job. */}}
{{- define "switchboard.settingsEnv" -}}
{{- $pool := .Values.pool }}
{{- range $name, $value := dict "DB_POOL_SIZE" $pool.size "DB_POOL_MIN_IDLE" $pool.minIdle "DB_POOL_TIMEOUT_MS" $pool.timeoutMs "DB_POOL_MAX_LIFETIME_MS" $pool.maxLifetimeMs "DB_POOL_IDLE_TIMEOUT_MS" $pool.idleTimeoutMs "SWITCHBOARD_MIGRATION_LOCK_TIMEOUT_MS" $.Values.migration.lockTimeoutMs }}
{{- if not (kindIs "invalid" $value) }}
- name: {{ $name }}
  value: {{ $value | int64 | toString | quote }}
{{- end }}
{{- end }}
{{- end }}
