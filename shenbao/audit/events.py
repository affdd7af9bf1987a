"""The audit event vocabulary (事件). Later features add their workflow events here, one line each."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    ACCESS = "access", _("查阅")
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    # Identity controls (shenbao.security).
    LOCKOUT = "security:lockout", _("账户锁定")
    UNLOCK = "security:unlock", _("解除锁定")
    PASSWORD_CHANGE = "security:password_change", _("修改密码")
    OTP_ENROL = "security:otp_enrol", _("绑定动态口令")
    OTP_VERIFY = "security:otp_verify", _("动态口令验证")
    OTP_RESET = "security:otp_reset", _("重置动态口令")
    SESSION_TIMEOUT = "security:session_timeout", _("会话超时退出")
    SESSION_TERMINATE = "security:session_terminate", _("终止会话")
    SUPERUSER_CREATE = "security:superuser_create", _("创建超级用户")
    AUDIT_EXPORT = "audit_export", _("导出审计记录")
    DOCUMENT_GENERATE = "document:generate", _("生成文书")
    DOCUMENT_DOWNLOAD = "document:download", _("下载文书")
    # Operations (shenbao.operations): backup and restore of the whole installation.
    BACKUP = "operations:backup", _("数据备份")
    RESTORE = "operations:restore", _("数据恢复")
    # Personal data re-encrypted under the first of SHENBAO_DATA_KEYS, blind indexes rebuilt (rotate_data_keys).
    DATA_KEYS_ROTATE = "operations:rotate_data_keys", _("轮换数据密钥")
    # The system administrator queues a given-up e-mail again (shenbao.notifications.outbox).
    EMAIL_RETRY = "notifications:email_retry", _("重新发送邮件")
    # Message templates and bulk messages of a city's 技能办 (shenbao.notifications.templates_services, .bulk).
    MESSAGE_TEMPLATE_SAVE = "notifications:template_save", _("修改消息模板")
    MESSAGE_TEMPLATE_RESET = "notifications:template_reset", _("恢复默认消息模板")
    BULK_MESSAGE_SEND = "notifications:bulk_send", _("群发消息")
    SMS_RETRY = "notifications:sms_retry", _("重新发送短信")
    # The call editor (shenbao.calls.editing, shenbao.calls.workflow).
    CALL_COPY = "calls:copy", _("复制申报通知")
    CALL_EDIT_DRAFT = "calls:edit_draft", _("修改申报通知草稿")
    CALL_PUBLISH = "calls:publish", _("发布申报通知")
    CALL_CHANGE = "calls:change", _("变更已发布的申报通知")
    # 延期提交: one unit may submit later than the call's deadline (shenbao.calls.extension_services).
    EXTENSION_GRANT = "calls:extension_grant", _("批准延期提交")
    EXTENSION_REVOKE = "calls:extension_revoke", _("撤销延期提交")
    # The public portal's status query (shenbao.applications.public_status): number + credit code, no log-in.
    PUBLIC_STATUS_QUERY = "portal:status_query", _("公开办件进度查询")
    # `manage.py audit_relink`: links of entries hashed before their actor and address were filled, repaired.
    AUDIT_RELINK = "audit:relink", _("审计链重新链接")
    # Export jobs (shenbao.exports): asked for by a person, built by the task worker, taken once complete.
    EXPORT_REQUEST = "exports:request", _("申请导出")
    EXPORT_START = "exports:start", _("开始生成导出文件")
    EXPORT_FINISH = "exports:finish", _("导出文件已生成")
    EXPORT_FAIL = "exports:fail", _("导出失败")
    EXPORT_DOWNLOAD = "exports:download", _("下载导出文件")
    # The API's service accounts (shenbao.apiaccess): created and revoked by the system administrator; every call
    # made with a key, accepted or refused.
    API_ACCOUNT_CREATE = "api:create", _("创建接口服务账号")
    API_ACCOUNT_REVOKE = "api:revoke", _("吊销接口服务账号")
    API_CALL = "api:call", _("接口调用")

    # Documents of a submitted version (shenbao.documents): rendered once by the task worker and stored.
    DOCUMENT_RENDER_START = "documents:start", _("开始生成文书")
    DOCUMENT_RENDER_FINISH = "documents:finish", _("文书已生成")
    DOCUMENT_RENDER_FAIL = "documents:fail", _("文书生成失败")
    DOCUMENT_RENDER_RETRY = "documents:retry", _("重新生成文书")

    # 通知公告 (shenbao.announcements): drafts and their files; the workflow's steps are "announcement:<step>".
    ANNOUNCEMENT_CREATE = "announcement:create", _("起草通知公告")
    ANNOUNCEMENT_EDIT = "announcement:edit", _("修改通知公告草稿")
    ANNOUNCEMENT_UPLOAD = "announcement:upload_attachment", _("上传公告附件")
    ANNOUNCEMENT_REMOVE = "announcement:remove_attachment", _("移除公告附件")
    ANNOUNCEMENT_DOWNLOAD = "announcement:download_attachment", _("下载公告附件")
    NOTICE_EXPORT = "notice:export", _("导出公示（网页片段或Word）")

    # The staff applications list's saved views (shenbao.applications.search_services).
    LIST_VIEW_SAVE = "applications:save_list_view", _("保存申报列表视图")
    LIST_VIEW_DELETE = "applications:delete_list_view", _("删除申报列表视图")

    # The leadership's statistics (shenbao.core.leadership): figures taken away or printed, tables reported upward.
    STATISTICS_EXPORT = "statistics:export", _("导出统计数据")
    UPWARD_REPORT = "statistics:upward_report", _("生成上报表格")

    @classmethod
    def label_for(cls, value):
        """The Chinese label, or the raw name for an event recorded before it was declared here."""
        try:
            return cls(value).label
        except ValueError:
            return value
