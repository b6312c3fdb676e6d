from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import render

from carbonpeak.core import audit
from carbonpeak.core.audit import AuditedModelAdmin
from carbonpeak.departments.models import Department, DepartmentAlias

from .models import Action, Plan, PlanVersion, Responsibility, Section, Target, Task
from .services import merge_departments


class DepartmentAliasInline(admin.TabularInline):
    model = DepartmentAlias
    extra = 1


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ("name", "short_name", "kind", "lead_count", "support_count")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "aliases__name")
    inlines = [DepartmentAliasInline]
    actions = ["merge_selected"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_lead=Count("responsibilities", filter=Q(responsibilities__role="lead")),
                n_support=Count("responsibilities", filter=Q(responsibilities__role="support")),
            )
        )

    @admin.display(description="牵头任务", ordering="n_lead")
    def lead_count(self, obj):
        return obj.n_lead

    @admin.display(description="配合任务", ordering="n_support")
    def support_count(self, obj):
        return obj.n_support

    @admin.action(description="合并所选部门（其余名称记为别名）")
    def merge_selected(self, request, queryset):
        departments = list(queryset)
        if len(departments) < 2:
            self.message_user(request, "请至少选择两个部门进行合并。", messages.WARNING)
            return None
        keep_id = request.POST.get("keep")
        if keep_id and request.POST.get("confirm"):
            keep = next((d for d in departments if str(d.pk) == keep_id), None)
            if keep is None:
                self.message_user(request, "保留的部门必须在所选部门之中。", messages.ERROR)
                return None
            others = [d for d in departments if d.pk != keep.pk]
            names = "、".join(d.name for d in others)
            try:
                merge_departments(keep, others, request.user)
            except ValidationError as exc:
                self.message_user(request, "；".join(exc.messages), messages.ERROR)
                return None
            self.message_user(
                request, f"已将 {names} 合并到 {keep.name}，原名称已记为别名。", messages.SUCCESS
            )
            return None
        return render(
            request,
            "admin/plans/department/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "合并部门",
                "departments": departments,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 1
    fields = ("department", "role", "suppressed", "source")
    readonly_fields = ("source",)
    autocomplete_fields = ("department",)


class TargetInline(admin.StackedInline):
    model = Target
    extra = 0
    fields = (
        ("year", "kind"),
        "indicator",
        ("comparator", "value", "value_max", "unit"),
        ("commitment", "base_year", "issuer"),
        "sentence",
    )
    show_change_link = True


@admin.register(Task)
class TaskAdmin(AuditedModelAdmin):
    list_display = ("label", "title", "action", "leads")
    list_filter = ("plan", "action", "section")
    search_fields = ("title", "text", "key")
    inlines = [ResponsibilityInline, TargetInline]
    readonly_fields = ("key", "clause")
    fields = ("plan", "section", "action", "key", "number", "title", "text", "clause")

    @admin.display(description="编号")
    def label(self, obj):
        return obj.label

    @admin.display(description="牵头部门")
    def leads(self, obj):
        return "、".join(
            r.department.name for r in obj.responsibilities.all() if r.role == "lead" and not r.suppressed
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("action", "section")
            .prefetch_related("responsibilities__department")
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Responsibility:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            if obj.source == Responsibility.Source.IMPORT:
                # an imported responsibility deleted by hand stays deleted through re-imports
                obj.suppressed = True
                obj.save(update_fields=["suppressed"])
            else:
                obj.delete()
        for obj in instances:
            if obj.pk is None or obj.source == Responsibility.Source.IMPORT:
                changed = obj.pk is None or {"department", "role"} & set(
                    next((f.changed_data for f in formset.forms if f.instance is obj), [])
                )
                if changed:
                    obj.source = Responsibility.Source.MANUAL
            obj.save()
        formset.save_m2m()
        return None


@admin.register(Responsibility)
class ResponsibilityAdmin(AuditedModelAdmin):
    list_display = ("task", "department", "role", "source", "suppressed")
    list_filter = ("role", "source", "suppressed", "department__kind")
    readonly_fields = ("source",)
    search_fields = ("department__name", "task__title")
    autocomplete_fields = ("department",)
    raw_id_fields = ("task",)

    def save_model(self, request, obj, form, change):
        if change and {"department", "role", "task"} & set(form.changed_data):
            obj.source = Responsibility.Source.MANUAL
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if obj.source == Responsibility.Source.IMPORT:
            audit.record(
                request.user,
                audit.Action.UPDATE,
                obj,
                before={"suppressed": obj.suppressed},
                after={"suppressed": True},
                comment="后台管理：标记不适用",
            )
            obj.suppressed = True
            obj.save(update_fields=["suppressed"])
        else:
            super().delete_model(request, obj)


@admin.register(Target)
class TargetAdmin(AuditedModelAdmin):
    list_display = ("indicator", "year", "comparator", "value", "unit", "kind", "task")
    list_filter = ("plan", "kind", "year", "comparator")
    search_fields = ("indicator", "sentence")
    raw_id_fields = ("task", "section")
    readonly_fields = ("key",)


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    fields = ("number", "title", "order")
    show_change_link = True


@admin.register(Action)
class ActionAdmin(AuditedModelAdmin):
    list_display = ("number", "title", "plan")
    list_filter = ("plan",)
    readonly_fields = ("key",)


@admin.register(Section)
class SectionAdmin(AuditedModelAdmin):
    list_display = ("number", "title", "kind", "plan")
    list_filter = ("plan",)
    inlines = [ActionInline]
    readonly_fields = ("key",)


class PlanVersionInline(admin.TabularInline):
    model = PlanVersion
    extra = 0
    fields = ("number", "source_name", "imported_by", "imported_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(AuditedModelAdmin):
    list_display = ("title", "region", "role", "document_number", "issue_date")
    list_filter = ("role",)
    inlines = [PlanVersionInline]


@admin.register(PlanVersion)
class PlanVersionAdmin(AuditedModelAdmin):
    list_display = ("plan", "number", "source_name", "imported_by", "imported_at")
    readonly_fields = (
        "plan",
        "number",
        "source_name",
        "source_sha256",
        "changes",
        "imported_by",
        "imported_at",
    )
    exclude = ("structure",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
