from django.apps import AppConfig


class DocstoreConfig(AppConfig):
    name = "docstore"
    verbose_name = "Kho giấy tờ điện tử"
