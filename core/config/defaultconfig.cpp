#include "defaultconfig.h"

namespace coord::config {

// The sample from the MindIE guide, byte for byte the same as conf/ms_coordinator.json (a unit
// test keeps the two in step). Kept as text rather than built from the schema so that the key
// order and layout match what operators know.
QByteArray defaultConfigJson()
{
    return QByteArrayLiteral(R"json({
    "http_config": {
        "allow_all_zero_ip_listening": false,
        "predict_ip": "127.0.0.1",
        "predict_port": "1025",
        "manage_ip": "127.0.0.1",
        "manage_port": "1026",
        "alarm_port": "1027",
        "external_port": "1028",
        "status_port": "1029",
        "server_thread_num": 10,
        "client_thread_num": 10,
        "http_timeout_seconds": 600,
        "keep_alive_seconds": 180,
        "server_name": "MindIE-MS",
        "user_agent": "Coordinator/1.0"
    },
    "request_limit": {
        "single_node_max_requests": 1000,
        "max_requests": 10000,
        "body_limit": 10
    },
    "metrics_config": {
        "enable": false,
        "trigger_size": 100
    },
    "prometheus_metrics_config": {
        "reuse_time": 3
    },
    "exception_config": {
        "max_retry": 5,
        "schedule_timeout": 600,
        "first_token_timeout": 600,
        "infer_timeout": 600,
        "tokenizer_timeout": 300
    },
    "log_info": {
        "log_level": "INFO",
        "to_file": true,
        "to_stdout": true,
        "run_log_path": "./logs/ms_coordinator_run_log.txt",
        "operation_log_path": "./logs/ms_coordinator_operation_log.txt",
        "max_log_str_size": 4096,
        "max_log_file_size": 20,
        "max_log_file_num": 10
    },
    "digs_scheduler_config": {
        "deploy_mode": "pd_separate",
        "scheduler_type": "digs_scheduler",
        "algorithm_type": "load_balance",
        "cache_size": "100",
        "slots_thresh": "0.05",
        "block_thresh": "0.05",
        "max_schedule_count": "10000",
        "reordering_type": "1",
        "max_res_num": "5000",
        "res_limit_rate": "1.1",
        "select_type": "2",
        "load_cost_values": "1, 0",
        "load_cost_coefficient": "0, 0.22, 1024, 24, 6, 0, 1, 0, 1"
    },
    "string_token_rate": 4.02,
    "tls_config": {
        "controller_server_tls_enable": true,
        "controller_server_tls_items": {
            "ca_cert": "./security/controller/security/certs/ca.pem",
            "tls_cert": "./security/controller/security/certs/cert.pem",
            "tls_key": "./security/controller/security/keys/cert.key.pem",
            "tls_passwd": "./security/controller/security/pass/key_pwd.txt",
            "kmcKsfMaster": "./security/controller/tools/pmt/master/ksfa",
            "kmcKsfStandby": "./security/controller/tools/pmt/standby/ksfb",
            "tls_crl": ""
        },
        "request_server_tls_enable": true,
        "request_server_tls_items": {
            "ca_cert": "./security/request/security/certs/ca.pem",
            "tls_cert": "./security/request/security/certs/cert.pem",
            "tls_key": "./security/request/security/keys/cert.key.pem",
            "tls_passwd": "./security/request/security/pass/key_pwd.txt",
            "kmcKsfMaster": "./security/request/tools/pmt/master/ksfa",
            "kmcKsfStandby": "./security/request/tools/pmt/standby/ksfb",
            "tls_crl": ""
        },
        "mindie_client_tls_enable": true,
        "mindie_client_tls_items": {
            "ca_cert": "./security/mindie/security/certs/ca.pem",
            "tls_cert": "./security/mindie/security/certs/cert.pem",
            "tls_key": "./security/mindie/security/keys/cert.key.pem",
            "tls_passwd": "./security/mindie/security/pass/key_pwd.txt",
            "kmcKsfMaster": "./security/mindie/tools/pmt/master/ksfa",
            "kmcKsfStandby": "./security/mindie/tools/pmt/standby/ksfb",
            "tls_crl": ""
        },
        "mindie_mangment_tls_enable": true,
        "mindie_mangment_tls_items": {
            "ca_cert": "./security/mindie_mgmt/security/certs/ca.pem",
            "tls_cert": "./security/mindie_mgmt/security/certs/cert.pem",
            "tls_key": "./security/mindie_mgmt/security/keys/cert.key.pem",
            "tls_passwd": "./security/mindie_mgmt/security/pass/key_pwd.txt",
            "kmcKsfMaster": "./security/mindie_mgmt/tools/pmt/master/ksfa",
            "kmcKsfStandby": "./security/mindie_mgmt/tools/pmt/standby/ksfb",
            "tls_crl": ""
        },
        "external_tls_enable": true,
        "external_tls_items": {
            "ca_cert": "./security/external/security/certs/ca.pem",
            "tls_cert": "./security/external/security/certs/cert.pem",
            "tls_key": "./security/external/security/keys/cert.key.pem",
            "tls_passwd": "./security/external/security/pass/key_pwd.txt",
            "kmcKsfMaster": "./security/external/tools/pmt/master/ksfa",
            "kmcKsfStandby": "./security/external/tools/pmt/standby/ksfb",
            "tls_crl": ""
        },
        "status_tls_enable": true,
        "status_tls_items": {
            "ca_cert": "./security/status/security/certs/ca.pem",
            "tls_cert": "./security/status/security/certs/cert.pem",
            "tls_key": "./security/status/security/keys/cert.key.pem",
            "tls_passwd": "./security/status/security/pass/key_pwd.txt",
            "kmcKsfMaster": "./security/status/tools/pmt/master/ksfa",
            "kmcKsfStandby": "./security/status/tools/pmt/standby/ksfb",
            "tls_crl": ""
        },
        "etcd_server_tls_enable": true,
        "etcd_server_tls_items": {
            "ca_cert": "./security/etcd_server/security/certs/ca.pem",
            "tls_cert": "./security/etcd_server/security/certs/cert.pem",
            "tls_key": "./security/etcd_server/security/keys/cert.key.pem",
            "tls_passwd": "./security/etcd_server/security/pass/key_pwd.txt",
            "kmcKsfMaster": "./security/etcd_server/tools/pmt/master/ksfa",
            "kmcKsfStandby": "./security/etcd_server/tools/pmt/standby/ksfb",
            "tls_crl": ""
        },
        "alarm_client_tls_enable": true,
        "alarm_client_tls_items": {
            "ca_cert": "./security/alarm/security/certs/ca.pem",
            "tls_cert": "./security/alarm/security/certs/cert.pem",
            "tls_key": "./security/alarm/security/keys/cert.key.pem",
            "tls_passwd": "./security/alarm/security/pass/key_pwd.txt",
            "kmcKsfMaster": "./security/alarm/tools/pmt/master/ksfa",
            "kmcKsfStandby": "./security/alarm/tools/pmt/standby/ksfb",
            "tls_crl": ""
        }
    },
    "backup_config": {
        "database_server_dns": "etcd.default.svc.cluster.local",
        "database_server_port": 2379,
        "function_enable": false
    }
}
)json");
}

} // namespace coord::config
